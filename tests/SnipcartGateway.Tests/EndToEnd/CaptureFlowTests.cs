using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Sandbox.Smartpay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// Authorise, then capture, then "processed": SmartPay by J.P. Morgan with the merchant's auto-capture off and
/// Smartpay with <c>Providers__Smartpay__CaptureMethod=manual</c>, through the gateway under the Functions host and
/// the sandbox's simulators. A capture is made once however many requests race to finish the payment; a capture
/// refused because the authorisation lapsed voids it, tells Snipcart "failed" and flags the attempt.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CaptureFlowTests(GatewayStackFixture stack) : IAsyncLifetime
{
    private readonly GatewayHarness _h = stack.Harness;
    private readonly IsolatedGatewayInstances _instances = new(stack.Harness);

    private JpmSmartPayState Jpm => _h.Sandbox.Services.GetRequiredService<JpmSmartPayState>();
    private SmartpayState Smartpay => _h.Sandbox.Smartpay;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _instances.DisposeAsync();

    private IReadOnlyList<string> StatesToldFor(string sessionId) =>
        [.. _h.State.PaymentCallsFor(sessionId).Where(c => c.Accepted).Select(c => c.State!)];

    /// <summary>The shopper's return and the status page's poll, at the same moment (both finish the payment).</summary>
    private static async Task ReturnAndPollAtOnceAsync(GatewayHost gateway, string paymentRef)
    {
        using var client = gateway.CreateHttpClient();
        var answers = await Task.WhenAll(client.GetAsync($"api/checkout/return/{paymentRef}"), client.GetAsync($"api/checkout/payments/{paymentRef}"));
        Assert.All(answers, a => Assert.True((int)a.StatusCode < 500, $"{(int)a.StatusCode} {a.RequestMessage?.RequestUri}"));
    }

    private async Task<PaymentAttempt> AttemptAsync(string paymentRef, bool isolated = false)
    {
        await using var gateway = isolated ? _instances.InProcess() : InProcessGateway.For(_h);
        return (await gateway.Get<IPaymentStore>().GetAttemptAsync(paymentRef))!.Value;
    }

    private async Task<(SandboxSession Session, string PaymentRef, string TransactionId)> AuthorisedAtJpmAsync()
    {
        var (session, token) = _h.NewSession(currency: "eur");
        var (paymentRef, _) = await _h.StartWidgetPaymentAsync(token, provider: "jpmsmartpay");
        var transactionId = Jpm.FindByReference(paymentRef)!.TransactionId;
        // The merchant's auto-capture is off: the shopper's payment stops at the authorisation.
        Jpm.SetStatus(transactionId, JpmStatuses.AuthorizationCompleted);
        return (session, paymentRef, transactionId);
    }

    private async Task<(SandboxSession Session, string PaymentRef, SmartpaySimOrder Order, GatewayHost Gateway)> ApprovedAtSmartpayAsync()
    {
        var gateway = await _instances.StartAsync(("Providers:Smartpay:CaptureMethod", "manual"));
        var (session, token) = _h.NewSession(unitPrice: 1500m, currency: "jpy", language: "ja", billingCountry: "JP");
        var (paymentRef, _) = await _h.StartPaymentAsync(token, provider: "smartpay", gateway: gateway);
        var order = Smartpay.FindOrderByReference(paymentRef)!;
        Assert.Equal("manual", order.CaptureMethod);
        // The shopper approves: the order waits for our capture (its webhook goes to another instance's tables,
        // which know no such order: only this instance finishes it).
        Assert.Equal(SmartpaySimStatuses.RequiresCapture, Smartpay.Approve(order.Id)!.Status);
        return (session, paymentRef, order, gateway);
    }

    [Fact]
    public async Task Jpm_with_auto_capture_off_captures_once_then_tells_snipcart_processed_once()
    {
        var (session, paymentRef, transactionId) = await AuthorisedAtJpmAsync();

        await ReturnAndPollAtOnceAsync(_h.Gateway, paymentRef);
        await ReturnAndPollAtOnceAsync(_h.Gateway, paymentRef);

        Assert.Equal(1, Jpm.Captures(transactionId));
        Assert.Equal(JpmStatuses.Captured, Jpm.Get(transactionId)!.Status);
        Assert.Equal(["processed"], StatesToldFor(session.Id));
        var attempt = await AttemptAsync(paymentRef);
        Assert.Equal(SnipcartPaymentState.Processed, attempt.ConfirmedState);
        Assert.False(attempt.NeedsAttention);
    }

    [Fact]
    public async Task Jpm_capture_refused_after_the_authorisation_lapsed_voids_it_and_tells_snipcart_failed()
    {
        var (session, paymentRef, transactionId) = await AuthorisedAtJpmAsync();
        Jpm.ExpireAuthorization(transactionId);

        await ReturnAndPollAtOnceAsync(_h.Gateway, paymentRef);

        Assert.Equal(0, Jpm.Captures(transactionId));
        Assert.Equal(JpmStatuses.Cancelled, Jpm.Get(transactionId)!.Status);
        Assert.Equal(["failed"], StatesToldFor(session.Id));
        var attempt = await AttemptAsync(paymentRef);
        Assert.Equal((FlagCodes.CaptureFailed, true), (attempt.FailureCode, attempt.NeedsAttention));
    }

    [Fact]
    public async Task Smartpay_manual_capture_captures_once_then_tells_snipcart_processed_once()
    {
        var (session, paymentRef, order, gateway) = await ApprovedAtSmartpayAsync();

        await ReturnAndPollAtOnceAsync(gateway, paymentRef);
        await ReturnAndPollAtOnceAsync(gateway, paymentRef);

        Assert.Equal(1, Smartpay.Captures(order.Id));
        Assert.Equal(SmartpaySimStatuses.Succeeded, Smartpay.GetOrder(order.Id)!.Status);
        // The capture is Smartpay's POST /payments for the order.
        Assert.Contains(Smartpay.Calls, c => c.Method == "POST" && c.Path.EndsWith("/payments", StringComparison.Ordinal) && c.Body?.Contains(order.Id, StringComparison.Ordinal) == true);
        Assert.Equal(["processed"], StatesToldFor(session.Id));
        Assert.Equal(SnipcartPaymentState.Processed, (await AttemptAsync(paymentRef, isolated: true)).ConfirmedState);
    }

    [Fact]
    public async Task Smartpay_manual_capture_refused_after_the_authorisation_lapsed_cancels_the_order_and_tells_snipcart_failed()
    {
        var (session, paymentRef, order, gateway) = await ApprovedAtSmartpayAsync();
        Smartpay.ExpireAuthorization(order.Id);

        await ReturnAndPollAtOnceAsync(gateway, paymentRef);

        Assert.Equal(0, Smartpay.Captures(order.Id));
        Assert.Equal(SmartpaySimStatuses.Canceled, Smartpay.GetOrder(order.Id)!.Status);
        Assert.Equal(["failed"], StatesToldFor(session.Id));
        var attempt = await AttemptAsync(paymentRef, isolated: true);
        Assert.Equal((FlagCodes.CaptureFailed, true), (attempt.FailureCode, attempt.NeedsAttention));
        using var client = gateway.CreateHttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"api/checkout/payments/{paymentRef}")).StatusCode);
    }
}
