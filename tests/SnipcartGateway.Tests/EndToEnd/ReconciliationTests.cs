using System.Net;
using System.Text.Json;
using SnipcartGateway.Domain;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// The reconciliation timer, run through the Functions host's admin API, finishing what a dead process or an
/// unreachable Snipcart left: exactly once. Each test runs its own gateway instances on tables of their own
/// (a run looks at every unsettled payment in its tables, and the counts in its report must be this test's),
/// with short Payments timings instead of a shifted clock.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class ReconciliationTests(GatewayStackFixture stack) : IAsyncLifetime
{
    private readonly GatewayHarness _h = stack.Harness;
    private readonly IsolatedGatewayInstances _instances = new(stack.Harness);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _instances.DisposeAsync();

    private Task<GatewayHost> StartInstanceAsync(params (string Key, string Value)[] settings) => _instances.StartAsync(settings);

    private static Task<string> RunTimerAsync(GatewayHost gateway) => IsolatedGatewayInstances.RunTimerAsync(gateway);

    [Fact]
    public async Task A_process_that_died_after_the_provider_said_paid_is_finished_once_by_reconciliation()
    {
        // A holds the claim to tell Snipcart for 15 s; B is the instance still alive afterwards.
        var lease = TimeSpan.FromSeconds(15);
        var starting = new[] { StartInstanceAsync(("Payments:ConfirmationLease", lease.ToString())), StartInstanceAsync() };
        var (dying, survivor) = (await starting[0], await starting[1]);
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: dying);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);

        // A wins the claim and calls Snipcart, which is slow to answer; A is killed (kill -9) while it waits.
        var delayed = _h.State.DelaysTaken;
        _h.State.DelayNext(SimulatedEndpoint.CreatePayment, TimeSpan.FromMinutes(1));
        var shopperReturn = _h.ReturnAsync(paymentRef, dying);
        await _h.State.WaitUntilAsync(s => s.DelaysTaken > delayed, TimeSpan.FromSeconds(30));
        var claimedBy = DateTimeOffset.UtcNow;
        await dying.KillAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => shopperReturn);
        // Snipcart saw its caller go away before it took the payment.
        await _h.State.WaitUntilAsync(s => s.PaymentCallsFor(session.Id).Any(c => c.StatusCode == 499));
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        // A live instance must leave the dead one's claim alone until its lease is over...
        var early = await RunTimerAsync(survivor);
        Assert.Contains("0 confirmed", early);
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        // ...after which reconciliation finishes it, once, however often it runs.
        await IsolatedGatewayInstances.LeaseOverAsync(claimedBy, lease);
        var report = await RunTimerAsync(survivor);
        await RunTimerAsync(survivor);

        Assert.Contains("1 confirmed", report);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));

        // The shopper who retries the return now lands on Snipcart's order page.
        using var client = survivor.CreateHttpClient();
        var back = await client.GetAsync($"api/checkout/return/{paymentRef}");
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}"), back.Headers.Location);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task A_confirmation_snipcart_did_not_take_is_retried_by_reconciliation()
    {
        var gateway = await StartInstanceAsync();
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: gateway);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 503);

        using var shopper = gateway.CreateHttpClient();
        var waiting = await shopper.GetAsync($"api/checkout/return/{paymentRef}");
        // No returnUrl from Snipcart yet: the shopper waits on our page, which polls.
        Assert.Equal(HttpStatusCode.Redirect, waiting.StatusCode);
        Assert.Equal($"{gateway.BaseAddress}checkout/?paymentRef={paymentRef}", waiting.Headers.Location?.ToString());
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        var report = await RunTimerAsync(gateway);

        Assert.Contains("1 confirmed", report);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var status = JsonDocument.Parse(await shopper.GetStringAsync($"api/checkout/payments/{paymentRef}")).RootElement;
        Assert.Equal("paid", status.GetProperty("status").GetString());
        Assert.True(status.GetProperty("confirmed").GetBoolean());
        Assert.Equal($"{_h.Sandbox.BaseAddress}store/orders/{session.Id}", status.GetProperty("returnUrl").GetString());
    }

    [Fact]
    public async Task A_payment_that_succeeded_while_nobody_was_watching_is_confirmed()
    {
        // The shopper closed the tab at the provider; no notification reached us.
        var gateway = await StartInstanceAsync();
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: gateway);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded, notify: false);

        var report = await RunTimerAsync(gateway);

        Assert.Contains("1 confirmed", report);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task An_abandoned_unpaid_attempt_is_closed_without_telling_snipcart()
    {
        var gateway = await StartInstanceAsync();
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: gateway);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Canceled, notify: false);

        var first = await RunTimerAsync(gateway);
        var second = await RunTimerAsync(gateway);

        Assert.Contains("examined 1", first);
        Assert.Contains("1 closed", first);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        // Closed attempts leave the unsettled list: the next run has nothing to look at.
        Assert.Contains("examined 0", second);
    }

    [Fact]
    public async Task A_paid_confirmation_snipcart_keeps_refusing_is_flagged_after_the_limit_and_confirmed_once_snipcart_accepts()
    {
        var impatient = await StartInstanceAsync(("Payments:MaxConfirmationFailures", "2"));
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: impatient);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 400, times: 2);

        await _h.ReturnAsync(paymentRef, impatient);
        await _h.ReturnAsync(paymentRef, impatient);

        await using (var services = _instances.InProcess())
        {
            var attempt = (await services.Get<IPaymentStore>().GetAttemptAsync(paymentRef))!.Value;
            Assert.True(attempt.NeedsAttention);
            // Paid money is never given up: it stays on the unsettled list.
            Assert.False(attempt.IsSettled);
        }
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));
        // Snipcart accepts again: the next run confirms it, once.
        Assert.Contains("1 confirmed", await RunTimerAsync(impatient));
        Assert.Contains("examined 0", await RunTimerAsync(impatient));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }
}
