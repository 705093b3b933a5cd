using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Payments;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>Issue 9, items 9, 12, 14 and the two mutation gaps: the finisher tells Snipcart once and records
/// what it learns, whatever races it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PaymentFinisherTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = new PaymentsOptions().ConfirmationLease;

    private PaymentCoreHarness _h = null!;
    private HookedProvider _provider = null!;
    private RacingStore _store = null!;
    private HookedSnipcart _snipcart = null!;
    private readonly CapturedLogs _logs = new();
    private Func<SnipcartPaymentRequest, Task> _beforeSnipcart = _ => Task.CompletedTask;

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite, s =>
        {
            PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p));
            PaymentCoreHarness.DecorateStore(s, inner => _store = new RacingStore(inner));
            s.DecorateSnipcart(inner => _snipcart = new HookedSnipcart(inner, r => _beforeSnipcart(r)));
            s.AddSingleton<ILoggerProvider>(_logs);
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task The_claim_lease_is_measured_from_the_claim_not_from_before_a_slow_provider()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        // The provider takes a minute and a half to answer.
        _provider.BeforeGet = (_, _) =>
        {
            _h.Clock.Advance(TimeSpan.FromSeconds(90));
            return Task.CompletedTask;
        };
        TimeSpan? leaseLeft = null;
        _beforeSnipcart = async _ =>
        {
            var claimed = await _h.Store.GetAttemptAsync(paymentRef);
            leaseLeft = claimed!.Value.ClaimExpiresAt - _h.Clock.GetUtcNow();
        };

        Assert.Equal(FinishOutcome.Confirmed, (await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn)).Outcome);

        // Other workers respect the whole lease from the moment the claim was written.
        Assert.NotNull(leaseLeft);
        Assert.True(leaseLeft > Lease - TimeSpan.FromSeconds(10), $"Only {leaseLeft} of the {Lease} lease was left when Snipcart was called.");
    }

    [Fact]
    public async Task A_confirmation_whose_write_loses_an_etag_race_is_reread_and_saved()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        // The write that records Snipcart's "processed" loses its ETag race once.
        _store.ConflictOnce(a => a.ConfirmedState == SnipcartPaymentState.Processed);

        Assert.Equal(FinishOutcome.Confirmed, (await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn)).Outcome);
        Assert.Equal(1, _store.Conflicts);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(SnipcartPaymentState.Processed, attempt.ConfirmedState);
        Assert.NotNull(attempt.ReturnUrl);
        Assert.Null(attempt.ClaimId);

        // So nobody tells Snipcart again once the lease is over.
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task A_duplicate_payment_is_closed_and_given_back_once_after_its_write_loses_an_etag_race()
    {
        // The shopper paid two attempts of one session: the first is confirmed, the second is given back.
        var (session, token) = _h.NewSession();
        var first = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);
        await _h.Store.ForgetPaymentInFlightAsync(session.Id);
        var second = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);
        _h.SetProviderStatus(first.PaymentRef, SandboxPayStatuses.Succeeded);
        _h.SetProviderStatus(second.PaymentRef, SandboxPayStatuses.Succeeded);
        await _h.Finisher.FinishAsync(first.PaymentRef, FinishTrigger.ShopperReturn);

        _store.ConflictOnce(a => a.PaymentRef == second.PaymentRef && a.NeedsAttention);
        var result = await _h.Finisher.FinishAsync(second.PaymentRef, FinishTrigger.ShopperReturn);

        Assert.Equal(FinishOutcome.Closed, result.Outcome);
        Assert.Equal(1, _store.Conflicts);
        var stored = await _h.AttemptAsync(second.PaymentRef);
        Assert.True(stored.Abandoned);
        Assert.Equal("duplicate_payment", stored.FailureCode);
        Assert.Equal((GiveBackState.Done, "duplicate_payment"), (stored.GiveBackState, stored.GiveBackReason));
        // Given back in full, so nobody needs to look.
        Assert.False(stored.NeedsAttention);
        Assert.True(stored.IsSettled);
        var refund = Assert.Single(_h.State.SandboxPayRefunds, r => r.Payment == stored.ProviderPaymentId);
        Assert.Equal((stored.Amount.Amount, GiveBacks.RefundIdFor(second.PaymentRef)), (refund.Amount, refund.IdempotencyKey));
        Assert.Equal(RefundState.Succeeded, (await _h.Store.GetRefundAsync(second.PaymentRef, stored.GiveBackRefundId!))!.Value.State);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task Money_pending_on_a_session_another_attempt_paid_is_flagged_and_kept_open()
    {
        var (session, token) = _h.NewSession();
        var first = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);
        await _h.Store.ForgetPaymentInFlightAsync(session.Id);
        var second = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);
        _h.SetProviderStatus(first.PaymentRef, SandboxPayStatuses.Succeeded);
        _h.SetProviderStatus(second.PaymentRef, SandboxPayStatuses.Pending);
        await _h.Finisher.FinishAsync(first.PaymentRef, FinishTrigger.ShopperReturn);

        var result = await _h.Finisher.FinishAsync(second.PaymentRef, FinishTrigger.ShopperReturn);

        Assert.Equal(FinishOutcome.Closed, result.Outcome);
        Assert.Equal((await _h.AttemptAsync(first.PaymentRef)).ReturnUrl, result.ReturnUrl);
        var flagged = await _h.AttemptAsync(second.PaymentRef);
        Assert.True(flagged.NeedsAttention);
        Assert.False(flagged.IsSettled);
        Assert.Single(_logs.Errors, e => e.Contains(second.PaymentRef) && e.Contains("pending"));

        // The pending money is paid too: reconciliation still looks, and finds the duplicate.
        _h.SetProviderStatus(second.PaymentRef, SandboxPayStatuses.Succeeded);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        var duplicate = await _h.AttemptAsync(second.PaymentRef);
        Assert.Equal("duplicate_payment", duplicate.FailureCode);
        Assert.True(duplicate.Abandoned);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task A_paid_attempt_given_up_before_snipcart_was_told_is_confirmed_by_a_later_notification()
    {
        // As an earlier version left it: paid, Snipcart refused 20 times, given up and flagged.
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        var read = (await _h.Store.GetAttemptAsync(paymentRef))!;
        read.Value.Status = PaymentStatus.Paid;
        read.Value.Abandoned = true;
        read.Value.NeedsAttention = true;
        read.Value.ConfirmationFailures = 20;
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);

        var result = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        Assert.Equal(FinishOutcome.Confirmed, result.Outcome);
        Assert.True((await _h.AttemptAsync(paymentRef)).IsProcessed);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
    }

    [Fact]
    public async Task A_second_finisher_arriving_while_the_first_holds_the_claim_tells_snipcart_once()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        var snipcartCalled = new TaskCompletionSource();
        var answer = new TaskCompletionSource();
        _beforeSnipcart = async _ =>
        {
            snipcartCalled.TrySetResult();
            // Snipcart is slow to answer.
            await answer.Task.WaitAsync(TimeSpan.FromSeconds(20));
        };

        var firstReturn = _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        await snipcartCalled.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // A second tab's return and the provider's notification arrive while the first holds the claim.
        var secondReturn = _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        var notification = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        Assert.Equal(FinishOutcome.Busy, notification.Outcome);
        await Task.Delay(500);
        answer.SetResult();

        var results = await Task.WhenAll(firstReturn, secondReturn);
        Assert.All(results, r => Assert.Equal(FinishOutcome.Confirmed, r.Outcome));
        Assert.All(results, r => Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}").ToString(), r.ReturnUrl));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Single(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task A_payment_paid_after_snipcart_was_told_failed_is_recorded_and_flagged_without_reopening_the_order()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Declined);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        Assert.Equal(["failed"], _h.StatesToldFor(session.Id));

        // The provider later reports it paid after all.
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(PaymentStatus.Paid, attempt.Status);
        Assert.NotNull(attempt.PaidAt);
        Assert.True(attempt.NeedsAttention);
        Assert.Equal(SnipcartPaymentState.Failed, attempt.ConfirmedState);
        Assert.Equal(["failed"], _h.StatesToldFor(session.Id));
        Assert.Single(_logs.Errors, e => e.Contains(paymentRef) && e.Contains("after Snipcart was told it failed"));
    }

    [Fact]
    public async Task A_payment_paid_after_it_was_given_up_is_confirmed_late_and_flagged_for_the_merchant()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.Clock.Advance(TimeSpan.FromHours(25));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.True((await _h.AttemptAsync(paymentRef)).Abandoned);

        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(SnipcartPaymentState.Processed, attempt.ConfirmedState);
        Assert.True(attempt.NeedsAttention);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
        Assert.Contains(_logs.Errors, e => e.Contains(paymentRef) && e.Contains("after it was given up"));
    }

    [Fact]
    public async Task A_refund_made_in_the_providers_dashboard_is_recorded_and_flagged()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var payment = _h.State.FindSandboxPayPaymentByReference(attempt.PaymentRef)!;

        // The merchant refunds 25 from Sandbox Pay's dashboard; Sandbox Pay notifies.
        var (_, error) = _h.State.RefundFromDashboard(payment.Id, 25m, notify: false);
        Assert.Null(error);
        await _h.Finisher.FinishAsync(attempt.PaymentRef, FinishTrigger.Notification);
        await _h.Finisher.FinishAsync(attempt.PaymentRef, FinishTrigger.Notification);

        var stored = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.True(stored.NeedsAttention);
        Assert.Equal(25m, stored.RefundedAmount);
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal(25m, refund.Amount.Amount);
        Assert.Equal(RefundState.Succeeded, refund.State);
        Assert.Contains(_logs.Errors, e => e.Contains(attempt.PaymentRef) && e.Contains("did not ask for"));

        // What is left to refund through Snipcart accounts for it.
        var tooMuch = await Assert.ThrowsAsync<GatewayProblemException>(() =>
            _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, attempt.Amount.Amount, null, null), CancellationToken.None));
        Assert.Equal("amount_exceeds_refundable", tooMuch.Code);
    }

    [Fact]
    public async Task A_processed_whose_answer_was_lost_is_not_sent_again_when_the_session_shows_it()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        // Snipcart applies "processed" but its answer is lost.
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 504, afterApplying: true);
        Assert.Equal(FinishOutcome.Unreachable, (await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn)).Outcome);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));

        // Reconciliation reads the session back and records what Snipcart already has.
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(1, _h.State.PaymentCallsFor(session.Id).Count(c => c.State == "processed"));
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(SnipcartPaymentState.Processed, attempt.ConfirmedState);
        Assert.True(attempt.IsSettled);
    }

    [Fact]
    public async Task A_processed_whose_answer_was_lost_is_sent_again_when_the_token_has_expired()
    {
        // The guarantee's limit: without a live public token the session cannot be read, and "processed" is
        // repeated rather than risk an order Snipcart never hears of.
        var (session, token) = _h.NewSession();
        var started = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);
        _h.SetProviderStatus(started.PaymentRef, SandboxPayStatuses.Succeeded);
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 504, afterApplying: true);
        await _h.Finisher.FinishAsync(started.PaymentRef, FinishTrigger.ShopperReturn);
        _h.State.ExpireToken(token);

        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(2, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(SnipcartPaymentState.Processed, (await _h.AttemptAsync(started.PaymentRef)).ConfirmedState);
    }

    [Fact]
    public async Task A_read_back_that_outlasts_the_lease_sends_nothing_once_another_finisher_took_the_claim_over()
    {
        // "processed" was applied but its answer lost; the timer's pass reads the session back, and that read hangs past
        // the lease; a notification takes the claim over, reads back, and rightly sends nothing; then the hung read fails.
        var (session, token) = _h.NewSession();
        var started = await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None);
        _h.SetProviderStatus(started.PaymentRef, SandboxPayStatuses.Succeeded);
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 504, afterApplying: true);
        await _h.Finisher.FinishAsync(started.PaymentRef, FinishTrigger.ShopperReturn);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));

        var firstReadBack = new TaskCompletionSource();
        var readBackHangs = new TaskCompletionSource();
        var reads = 0;
        _snipcart.BeforeGetSession = async () =>
        {
            if (Interlocked.Increment(ref reads) == 1)
            {
                firstReadBack.SetResult();
                await readBackHangs.Task;
                throw new SnipcartException("read-back timed out", statusCode: null);
            }
        };
        var slow = _h.Finisher.FinishAsync(started.PaymentRef, FinishTrigger.Reconciliation);
        await firstReadBack.Task;
        _h.Clock.Advance(Lease + TimeSpan.FromSeconds(1));

        var takeover = await _h.Finisher.FinishAsync(started.PaymentRef, FinishTrigger.Notification);
        readBackHangs.SetResult();
        var slowResult = await slow;

        Assert.Equal(FinishOutcome.Confirmed, takeover.Outcome);
        Assert.Equal(FinishOutcome.Busy, slowResult.Outcome);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(SnipcartPaymentState.Processed, (await _h.AttemptAsync(started.PaymentRef)).ConfirmedState);
        Assert.Contains(_logs.Entries, e => e.Message.Contains("taken over while the session was read back", StringComparison.Ordinal));
    }
}
