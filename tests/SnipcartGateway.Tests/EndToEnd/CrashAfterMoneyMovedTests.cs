using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// An instance killed (kill -9) right after it moved money at the provider and before it recorded what followed:
/// after a capture, while Snipcart is being told "processed"; after a duplicate payment's refund was made, while its
/// answer is on the way. Another instance's reconciliation finishes the job: never a second capture or refund, never
/// a second "processed", and the payment is not lost.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CrashAfterMoneyMovedTests(GatewayStackFixture stack) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    private readonly GatewayHarness _h = stack.Harness;
    private readonly IsolatedGatewayInstances _instances = new(stack.Harness);

    private JpmSmartPayState Jpm => _h.Sandbox.Services.GetRequiredService<JpmSmartPayState>();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _instances.DisposeAsync();

    /// <summary>One instance that will die (holding Snipcart's claim for <see cref="Lease"/>) and one that lives on.</summary>
    private async Task<(GatewayHost Dying, GatewayHost Survivor)> TwoInstancesAsync()
    {
        var starting = new[] { _instances.StartAsync(("Payments:ConfirmationLease", Lease.ToString())), _instances.StartAsync() };
        return (await starting[0], await starting[1]);
    }

    private async Task<PaymentAttempt> AttemptAsync(string paymentRef)
    {
        await using var gateway = _instances.InProcess();
        return (await gateway.Get<IPaymentStore>().GetAttemptAsync(paymentRef))!.Value;
    }

    /// <summary>Sends the shopper's return to <paramref name="dying"/>, waits until the sandbox holds the call a test
    /// delayed, and kills the instance there.</summary>
    private async Task KillDuringAsync(GatewayHost dying, string paymentRef)
    {
        var delayed = _h.State.DelaysTaken;
        var shopperReturn = _h.ReturnAsync(paymentRef, dying);
        await _h.State.WaitUntilAsync(s => s.DelaysTaken > delayed, TimeSpan.FromSeconds(30));
        await dying.KillAsync();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => shopperReturn);
    }

    [Fact]
    public async Task Killed_between_the_capture_and_snipcarts_answer_the_payment_is_captured_once_and_processed_once()
    {
        var (dying, survivor) = await TwoInstancesAsync();
        var (session, token) = _h.NewSession(currency: "eur");
        var (paymentRef, _) = await _h.StartWidgetPaymentAsync(token, provider: "jpmsmartpay", gateway: dying);
        var transactionId = Jpm.FindByReference(paymentRef)!.TransactionId;
        Jpm.SetStatus(transactionId, JpmStatuses.AuthorizationCompleted);

        // The dying instance captures, then tells Snipcart, which takes its time: the instance dies there.
        _h.State.DelayNext(SimulatedEndpoint.CreatePayment, TimeSpan.FromMinutes(1));
        var claimedBy = DateTimeOffset.UtcNow;
        await KillDuringAsync(dying, paymentRef);
        Assert.Equal(1, Jpm.Captures(transactionId));
        await _h.State.WaitUntilAsync(s => s.PaymentCallsFor(session.Id).Any(c => c.StatusCode == 499));
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        // The survivor leaves the dead one's claim alone until its lease is over, then finishes: the money already
        // captured is recognised as paid, not captured again.
        Assert.Contains("0 confirmed", await IsolatedGatewayInstances.RunTimerAsync(survivor));
        await IsolatedGatewayInstances.LeaseOverAsync(claimedBy, Lease);
        Assert.Contains("1 confirmed", await IsolatedGatewayInstances.RunTimerAsync(survivor));
        Assert.Contains("examined 0", await IsolatedGatewayInstances.RunTimerAsync(survivor));

        Assert.Equal(1, Jpm.Captures(transactionId));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var attempt = await AttemptAsync(paymentRef);
        Assert.Equal(SnipcartPaymentState.Processed, attempt.ConfirmedState);
        Assert.False(attempt.NeedsAttention);
    }

    [Fact]
    public async Task Killed_after_a_duplicates_refund_was_made_and_before_its_answer_the_duplicate_is_refunded_once()
    {
        var (dying, survivor) = await TwoInstancesAsync();
        var (session, token) = _h.NewSession();
        var (kept, _) = await _h.StartPaymentAsync(token, gateway: dying);
        await using (var gateway = _instances.InProcess())
        {
            // Started by force: the one-payment-in-flight rule would refuse a second attempt.
            await gateway.Get<IPaymentStore>().ForgetPaymentInFlightAsync(session.Id);
        }
        var (duplicate, _) = await _h.StartPaymentAsync(_h.State.MintToken(session.Id), gateway: dying);
        _h.SetProviderStatus(kept, SandboxPayStatuses.Succeeded);
        _h.SetProviderStatus(duplicate, SandboxPayStatuses.Succeeded);
        await _h.ReturnAsync(kept, dying);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));

        // The duplicate's refund is made at Sandbox Pay; its answer is slow, and the instance dies waiting for it.
        _h.State.DelayAnswerNext(SimulatedEndpoint.SandboxPayRefund, TimeSpan.FromMinutes(1));
        await KillDuringAsync(dying, duplicate);
        var paymentId = (await AttemptAsync(duplicate)).ProviderPaymentId;
        Assert.Single(_h.State.SandboxPayRefunds, r => r.Payment == paymentId);
        var orphan = await AttemptAsync(duplicate);
        Assert.Equal((GiveBackState.Requested, FlagCodes.DuplicatePayment), (orphan.GiveBackState, orphan.GiveBackReason));

        // The survivor asks again under the same refund id: Sandbox Pay answers with the refund it made.
        await IsolatedGatewayInstances.RunTimerAsync(survivor);
        Assert.Contains("examined 0", await IsolatedGatewayInstances.RunTimerAsync(survivor));

        var refund = Assert.Single(_h.State.SandboxPayRefunds, r => r.Payment == paymentId);
        var given = await AttemptAsync(duplicate);
        Assert.Equal(GiveBackState.Done, given.GiveBackState);
        Assert.Equal(given.Amount.Amount, refund.Amount);
        Assert.False(given.NeedsAttention);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(SnipcartPaymentState.Processed, (await AttemptAsync(kept)).ConfirmedState);
    }
}
