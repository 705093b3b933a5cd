using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>The lifecycle's clocks, at their edges: the checkout's expiry, "no longer fresh" (ReconcileAfter), "refused
/// for a day" (AbandonAfter) and how long a returning shopper may wait for a claim.</summary>
public sealed class LifecycleDeadlinesTests
{
    private static readonly DateTimeOffset Now = LifecycleCase.Now;
    private static readonly LifecycleRules Rules = LifecycleCase.Rules; // AbandonAfter 24 h, ReconcileAfter 2 min

    private static LifecycleInput Input(PaymentState state, FinishTrigger trigger, ProviderView view, TimeSpan age, bool claimed = false)
    {
        var input = new LifecycleCase(state, Age.Fresh, claimed, CanVoid: false, trigger, view, VoidAnswer.NotAsked, SessionAnswer.NotAsked).Input();
        var attempt = input.Attempt;
        var aged = new PaymentAttempt
        {
            PaymentRef = attempt.PaymentRef, SessionId = attempt.SessionId, ProviderId = attempt.ProviderId, Mode = attempt.Mode,
            Amount = attempt.Amount, InvoiceJson = attempt.InvoiceJson, RefundKey = attempt.RefundKey, CreatedAt = Now - age,
            ProviderPaymentId = attempt.ProviderPaymentId, Status = attempt.Status, ConfirmedState = attempt.ConfirmedState,
            Abandoned = attempt.Abandoned, ClaimId = attempt.ClaimId, ClaimedState = attempt.ClaimedState, ClaimExpiresAt = attempt.ClaimExpiresAt,
        };
        return input with { Attempt = aged };
    }

    [Theory]
    // hours from creation to the provider's expiry (null: the provider gave none) → hours from creation to the expiry
    [InlineData(null, 24)]
    [InlineData(1, 1)]
    [InlineData(48, 48)]
    public void A_checkout_expires_when_the_provider_says_else_AbandonAfter_after_creation(int? providerHours, int hours)
    {
        var created = Now.AddHours(-2);
        var attempt = new LifecycleCase(PaymentState.AwaitingShopper, Age.Fresh, false, false, FinishTrigger.Reconciliation, ProviderView.NotAsked, VoidAnswer.NotAsked, SessionAnswer.NotAsked).Attempt();
        var stored = new PaymentAttempt
        {
            PaymentRef = attempt.PaymentRef, SessionId = attempt.SessionId, ProviderId = attempt.ProviderId, Mode = attempt.Mode,
            Amount = attempt.Amount, InvoiceJson = attempt.InvoiceJson, RefundKey = attempt.RefundKey, CreatedAt = created,
            ExpiresAt = providerHours is { } h ? created.AddHours(h) : null,
        };

        Assert.Equal(created.AddHours(hours), PaymentLifecycle.ExpiresAt(stored, TimeSpan.FromHours(24)));
    }

    [Theory]
    // state, age in seconds past ReconcileAfter, trigger → closed
    [InlineData(PaymentState.Created, 0, FinishTrigger.Reconciliation, false)]
    [InlineData(PaymentState.Created, 1, FinishTrigger.Reconciliation, true)]
    [InlineData(PaymentState.Created, -60, FinishTrigger.Reconciliation, false)]
    [InlineData(PaymentState.Created, 3600, FinishTrigger.Notification, false)]
    [InlineData(PaymentState.Created, 3600, FinishTrigger.ShopperReturn, false)]
    [InlineData(PaymentState.Created, 3600, FinishTrigger.ShopperCancel, false)]
    public void An_attempt_the_provider_never_created_is_closed_by_the_timer_once_older_than_ReconcileAfter(PaymentState state, int pastInSeconds, FinishTrigger trigger, bool closed)
    {
        var decision = PaymentLifecycle.Decide(Input(state, trigger, ProviderView.NotAsked, Rules.ReconcileAfter + TimeSpan.FromSeconds(pastInSeconds)));

        var expected = closed
            ? new LifecycleDecision(LifecycleStep.Save, "close-unaskable")
            {
                Outcome = FinishOutcome.Closed, Close = true, Flag = Flag.Note(FlagCodes.NeverCreated), WaitingOnConflict = true,
            }
            : new LifecycleDecision(LifecycleStep.Finish, "unaskable") { Outcome = FinishOutcome.Waiting };
        Assert.Equal(expected, decision);
    }

    [Fact]
    public void An_uncreated_attempt_Snipcart_was_told_of_is_never_closed_as_unaskable()
    {
        var input = Input(PaymentState.Created, FinishTrigger.Reconciliation, ProviderView.NotAsked, TimeSpan.FromHours(30));
        input.Attempt.ConfirmedState = SnipcartPaymentState.Processing;

        Assert.Equal(new LifecycleDecision(LifecycleStep.Finish, "unaskable") { Outcome = FinishOutcome.Waiting }, PaymentLifecycle.Decide(input));
    }

    [Fact]
    public void A_removed_provider_s_attempt_is_left_waiting_while_fresh_and_closed_with_a_note_once_stale()
    {
        var fresh = Input(PaymentState.Pending, FinishTrigger.Reconciliation, ProviderView.NotAsked, Rules.ReconcileAfter) with { ProviderKnown = false };
        Assert.Equal(new LifecycleDecision(LifecycleStep.Finish, "unaskable") { Outcome = FinishOutcome.Waiting }, PaymentLifecycle.Decide(fresh));

        var stale = Input(PaymentState.Pending, FinishTrigger.Reconciliation, ProviderView.NotAsked, Rules.ReconcileAfter + TimeSpan.FromTicks(1)) with { ProviderKnown = false };
        Assert.Equal(new LifecycleDecision(LifecycleStep.Save, "close-unaskable")
        {
            Outcome = FinishOutcome.Closed, Close = true, Flag = Flag.Note(FlagCodes.ProviderRemoved), WaitingOnConflict = true,
        }, PaymentLifecycle.Decide(stale));
    }

    [Theory]
    // view, trigger, age in seconds past AbandonAfter → closed for good
    [InlineData(ProviderView.Refused, FinishTrigger.Reconciliation, 0, false)]
    [InlineData(ProviderView.Refused, FinishTrigger.Reconciliation, 1, true)]
    [InlineData(ProviderView.Refused, FinishTrigger.Reconciliation, 86400, true)]
    [InlineData(ProviderView.Refused, FinishTrigger.Notification, 86400, false)]
    [InlineData(ProviderView.Refused, FinishTrigger.ShopperReturn, 86400, false)]
    [InlineData(ProviderView.Unreachable, FinishTrigger.Reconciliation, 86400, false)]
    public void Lookups_refused_for_longer_than_AbandonAfter_close_the_attempt_and_ask_a_person(ProviderView view, FinishTrigger trigger, int pastInSeconds, bool closed)
    {
        var decision = PaymentLifecycle.Decide(Input(PaymentState.Pending, trigger, view, Rules.AbandonAfter + TimeSpan.FromSeconds(pastInSeconds)));

        var expected = closed
            ? new LifecycleDecision(LifecycleStep.Save, "lookup-refused-for-a-day")
            {
                Outcome = FinishOutcome.Closed, Close = true, Flag = new Flag(FlagCodes.ProviderLookupRefused, Replace: false, Attention: true),
            }
            : new LifecycleDecision(LifecycleStep.Finish, "provider-unanswered") { Outcome = FinishOutcome.Unreachable };
        Assert.Equal(expected, decision);
    }

    [Theory]
    // trigger, seconds from now to WaitUntil → may wait
    [InlineData(FinishTrigger.ShopperReturn, 15, true)]
    [InlineData(FinishTrigger.ShopperReturn, 0, true)]
    [InlineData(FinishTrigger.ShopperReturn, -1, false)]
    [InlineData(FinishTrigger.Notification, 15, false)]
    [InlineData(FinishTrigger.Reconciliation, 15, false)]
    [InlineData(FinishTrigger.ShopperCancel, 15, false)]
    public void Only_a_returning_shopper_waits_and_only_until_WaitUntil(FinishTrigger trigger, int waitUntilInSeconds, bool mayWait)
    {
        var input = Input(PaymentState.Paid, trigger, ProviderView.NotAsked, TimeSpan.FromMinutes(5), claimed: true) with { WaitUntil = Now.AddSeconds(waitUntilInSeconds) };

        Assert.Equal(mayWait, input.MayWait);
        Assert.Equal(mayWait
            ? new LifecycleDecision(LifecycleStep.Wait, "claimed")
            : new LifecycleDecision(LifecycleStep.Finish, "claimed") { Outcome = FinishOutcome.Busy }, PaymentLifecycle.Decide(input));

        var busy = PaymentLifecycle.Decide(input with { Attempt = Input(PaymentState.Paid, trigger, ProviderView.Paid, TimeSpan.FromMinutes(5)).Attempt, View = ProviderView.Paid, Session = SessionAnswer.Busy });
        Assert.Equal(mayWait
            ? new LifecycleDecision(LifecycleStep.Wait, "session-busy")
            : new LifecycleDecision(LifecycleStep.Finish, "session-busy") { Outcome = FinishOutcome.Busy }, busy);
    }

    [Fact]
    public void A_claim_whose_lease_ran_out_no_longer_holds_anyone_back()
    {
        var input = Input(PaymentState.Paid, FinishTrigger.Notification, ProviderView.NotAsked, TimeSpan.FromMinutes(5), claimed: true);
        input.Attempt.ClaimExpiresAt = Now;

        Assert.Equal(new LifecycleDecision(LifecycleStep.LookUp, "look-up"), PaymentLifecycle.Decide(input));
    }
}
