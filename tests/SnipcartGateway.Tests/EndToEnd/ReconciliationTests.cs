using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// The reconciliation timer, through the custom-handler timer contract, finishing what a dead process or an
/// unreachable Snipcart left: exactly once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReconciliationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TimerBody = """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"Reconcile","UtcNow":"2026-11-22T03:00:00Z"}}}""";

    private GatewayHarness _h = null!;

    public Task InitializeAsync()
    {
        _h = GatewayHarness.Start(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>A gateway process running ten minutes from now, when every lease and grace period is over.</summary>
    private GatewayHost LaterProcess() =>
        _h.StartGateway(services: s => s.AddSingleton<TimeProvider>(new ShiftedTimeProvider(TimeSpan.FromMinutes(10))));

    private static async Task<HttpResponseMessage> RunTimerAsync(GatewayHost gateway)
    {
        using var client = gateway.CreateHttpClient();
        var response = await client.PostAsync("Reconcile", new StringContent(TimerBody, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    [Fact]
    public async Task A_process_that_died_after_the_provider_said_paid_is_finished_once_by_reconciliation()
    {
        // Process A dies right after winning the claim and before Snipcart hears anything.
        var dying = _h.StartGateway(services: s => s.DecorateSnipcart(inner => new DiesBeforeConfirming(inner)));
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);
        using (var shopper = dying.CreateHttpClient())
        {
            var crashed = await shopper.GetAsync($"api/checkout/return/{paymentRef}");
            Assert.Equal(HttpStatusCode.InternalServerError, crashed.StatusCode);
        }
        await dying.DisposeAsync();
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        // A live process must leave the dead one's claim alone until its lease is over...
        await RunTimerAsync(_h.Gateway);
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        // ...after which reconciliation finishes it, once, however often it runs.
        var later = LaterProcess();
        var report = await (await RunTimerAsync(later)).Content.ReadAsStringAsync();
        await RunTimerAsync(later);

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var logs = JsonDocument.Parse(report).RootElement.GetProperty("Logs");
        Assert.Contains("1 confirmed", logs[0].GetString());

        // The shopper who retries the return now lands on Snipcart's order page.
        using var client = later.CreateHttpClient();
        var back = await client.GetAsync($"api/checkout/return/{paymentRef}");
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}"), back.Headers.Location);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task A_confirmation_snipcart_did_not_take_is_retried_by_reconciliation()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 503);

        using var shopper = _h.Gateway.CreateHttpClient();
        var waiting = await shopper.GetAsync($"api/checkout/return/{paymentRef}");
        // No returnUrl from Snipcart yet: the shopper waits on our page, which polls.
        Assert.Equal($"{_h.Gateway.BaseAddress}checkout/?paymentRef={paymentRef}", waiting.Headers.Location?.ToString());
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        await RunTimerAsync(LaterProcess());

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var status = JsonDocument.Parse(await shopper.GetStringAsync($"api/checkout/payments/{paymentRef}")).RootElement;
        Assert.Equal("paid", status.GetProperty("status").GetString());
        Assert.Equal($"{_h.Sandbox.BaseAddress}store/orders/{session.Id}", status.GetProperty("returnUrl").GetString());
    }

    [Fact]
    public async Task A_payment_that_succeeded_while_nobody_was_watching_is_confirmed()
    {
        // The shopper closed the tab at the provider; no notification reached us.
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);

        await RunTimerAsync(LaterProcess());

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task An_abandoned_unpaid_attempt_is_closed_without_telling_snipcart()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Canceled, notify: false);

        var later = LaterProcess();
        await RunTimerAsync(later);
        var second = await (await RunTimerAsync(later)).Content.ReadAsStringAsync();

        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        // Closed attempts leave the unsettled list: the next run has nothing to look at.
        Assert.Contains("examined 0", JsonDocument.Parse(second).RootElement.GetProperty("Logs")[0].GetString());
    }

    [Fact]
    public async Task A_confirmation_snipcart_keeps_refusing_is_given_up_and_flagged_after_the_limit()
    {
        var impatient = _h.StartGateway(services: s => s.Configure<SnipcartGateway.Payments.PaymentsOptions>(o => o.MaxConfirmationFailures = 2));
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 400, times: 2);

        await _h.ReturnAsync(paymentRef, impatient);
        await _h.ReturnAsync(paymentRef, impatient);

        var attempt = (await impatient.Services.GetRequiredService<IPaymentStore>().GetAttemptAsync(paymentRef))!.Value;
        Assert.True(attempt.NeedsAttention);
        Assert.True(attempt.IsSettled);
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));
        var report = await (await RunTimerAsync(LaterProcess())).Content.ReadAsStringAsync();
        Assert.Contains("examined 0", JsonDocument.Parse(report).RootElement.GetProperty("Logs")[0].GetString());
    }

    /// <summary>Stands for a process that dies between winning the claim and calling Snipcart.</summary>
    private sealed class DiesBeforeConfirming(ISnipcartClient inner) : ISnipcartClient
    {
        public Task<bool> ValidatePublicTokenAsync(string publicToken, CancellationToken cancellationToken = default) => inner.ValidatePublicTokenAsync(publicToken, cancellationToken);

        public Task<SnipcartPaymentSession?> GetPaymentSessionAsync(string publicToken, CancellationToken cancellationToken = default) => inner.GetPaymentSessionAsync(publicToken, cancellationToken);

        public Task<SnipcartPaymentResponse> CreatePaymentAsync(PaymentMode mode, SnipcartPaymentRequest request, CancellationToken cancellationToken = default) =>
            throw new ProcessDiedException();
    }

    /// <summary>Nothing in the gateway catches this: the request ends as if the process had stopped.</summary>
    private sealed class ProcessDiedException() : Exception("The process died here.");
}
