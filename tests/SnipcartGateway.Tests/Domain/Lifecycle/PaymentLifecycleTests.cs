using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>The decisions that hang on what the table's representative attempts do not vary: kept return parameters,
/// a removed provider, a flag on a closed attempt, the state of a stored attempt.</summary>
public sealed class PaymentLifecycleTests
{
    private static LifecycleCase Case(PaymentState state, FinishTrigger trigger, ProviderView view) =>
        new(state, Age.Fresh, Claimed: false, CanVoid: false, trigger, view, VoidAnswer.NotAsked, SessionAnswer.NotAsked);

    [Fact]
    public void Kept_return_parameters_the_provider_rejects_are_dropped_and_the_provider_asked_again_once()
    {
        var input = Case(PaymentState.Pending, FinishTrigger.Reconciliation, ProviderView.ReturnRejected).Input();
        input.Attempt.ReturnParameters["token"] = "t";

        var first = PaymentLifecycle.Decide(input);
        Assert.Equal((LifecycleStep.LookUp, true), (first.Step, first.DropKeptReturn));

        var again = PaymentLifecycle.Decide(input with { KeptReturnRejected = true });
        Assert.Equal((LifecycleStep.Finish, FinishOutcome.Waiting), (again.Step, again.Outcome));

        var fresh = PaymentLifecycle.Decide(input with { HasFreshReturn = true });
        Assert.Equal((LifecycleStep.Finish, FinishOutcome.Waiting), (fresh.Step, fresh.Outcome));
    }

    [Fact]
    public void An_attempt_whose_provider_was_removed_is_closed_by_the_timer_with_the_reason()
    {
        var input = Case(PaymentState.Pending, FinishTrigger.Reconciliation, ProviderView.NotAsked).Input() with { ProviderKnown = false };
        var decision = PaymentLifecycle.Decide(input);
        Assert.Equal((LifecycleStep.Save, true, FlagCodes.ProviderRemoved, false), (decision.Step, decision.Close, decision.Flag?.Code, decision.Flag?.Attention));
        Assert.True(decision.WaitingOnConflict);
    }

    [Theory]
    [InlineData(false, LifecycleStep.LookUp)]
    [InlineData(true, LifecycleStep.Finish)]
    public void A_closed_attempt_is_looked_at_on_a_notification_unless_a_person_was_asked_to(bool flagged, LifecycleStep step)
    {
        var input = Case(PaymentState.Closed, FinishTrigger.Notification, ProviderView.NotAsked).Input();
        input.Attempt.NeedsAttention = flagged;
        Assert.Equal(step, PaymentLifecycle.Decide(input).Step);
    }

    [Fact]
    public void Money_given_back_or_to_give_back_is_never_confirmed_or_captured_whatever_the_provider_says_later()
    {
        // A payment that failed verification on a notification (nobody waiting, so Snipcart was told nothing), whose
        // money went back, is to give back by hand, or was refused; the provider now says it is paid as asked.
        foreach (var ended in new[] { GiveBackState.Done, GiveBackState.ByHand, GiveBackState.Refused })
        foreach (var state in new[] { PaymentState.Declined, PaymentState.Paid, PaymentState.Closed })
        foreach (var trigger in Enum.GetValues<FinishTrigger>())
        foreach (var view in new[] { ProviderView.Paid, ProviderView.Pending, ProviderView.Authorized })
        foreach (var session in Enum.GetValues<SessionAnswer>())
        {
            var input = new LifecycleCase(state, Age.Fresh, Claimed: false, CanVoid: true, trigger, view, VoidAnswer.NotAsked, session).Input();
            GiveBacks.Decide(input.Attempt, FlagCodes.PaymentMismatch, LifecycleCase.Now);
            input.Attempt.GiveBackState = ended;

            var decision = PaymentLifecycle.Decide(input);

            var at = $"{ended} {state} {trigger} {view} {session}: {decision}";
            Assert.True(decision.Send != SnipcartPaymentState.Processed, at);
            Assert.True(decision.Step != LifecycleStep.Capture, at);
        }
    }

    [Theory]
    // trigger → what the decision does with a "paid" view (the session not asked yet)
    [InlineData(FinishTrigger.ShopperReturn, LifecycleStep.ClaimSession, SnipcartPaymentState.Failed, false)]
    [InlineData(FinishTrigger.Notification, LifecycleStep.Save, null, false)]
    [InlineData(FinishTrigger.Reconciliation, LifecycleStep.Save, null, true)]
    public void A_paid_view_of_money_given_back_is_decided_as_a_failed_payment(FinishTrigger trigger, LifecycleStep step, SnipcartPaymentState? send, bool closes)
    {
        var input = Case(PaymentState.Declined, trigger, ProviderView.Paid).Input();
        GiveBacks.Decide(input.Attempt, FlagCodes.PaymentMismatch, LifecycleCase.Now);
        input.Attempt.GiveBackState = GiveBackState.ByHand;

        var decision = PaymentLifecycle.Decide(input);

        Assert.Equal((step, send, closes), (decision.Step, decision.Send, decision.Close));
    }

    [Fact]
    public void A_duplicate_payment_closed_on_purpose_is_not_a_paid_attempt_given_up()
    {
        var attempt = Case(PaymentState.GivenUpPaid, FinishTrigger.Notification, ProviderView.NotAsked).Attempt();
        Assert.Equal(PaymentState.GivenUpPaid, PaymentStates.Of(attempt));
        attempt.FailureCode = FlagCodes.DuplicatePayment;
        Assert.Equal(PaymentState.Closed, PaymentStates.Of(attempt));
    }

    [Fact]
    public void Each_representative_attempt_is_in_the_state_it_stands_for()
    {
        foreach (var state in Enum.GetValues<PaymentState>())
        {
            Assert.Equal(state, PaymentStates.Of(Case(state, FinishTrigger.Reconciliation, ProviderView.NotAsked).Attempt()));
        }
    }

    [Theory]
    [InlineData(GiveBackState.Done)]
    [InlineData(GiveBackState.Refused)]
    [InlineData(GiveBackState.ByHand)]
    public void A_duplicate_payment_given_back_is_never_confirmed_later_whatever_its_flag_became(GiveBackState ended)
    {
        var input = Case(PaymentState.GivingBack, FinishTrigger.ShopperReturn, ProviderView.NotAsked).Input();
        input.Attempt.GiveBackState = ended;
        input.Attempt.FailureCode = FlagCodes.RefundRefused;
        input.Attempt.NeedsAttention = ended != GiveBackState.Done;

        Assert.Equal(PaymentState.Closed, PaymentStates.Of(input.Attempt));
        var paidAgain = PaymentLifecycle.Decide(input with { View = ProviderView.Paid, Session = SessionAnswer.Ours });
        Assert.NotEqual(LifecycleStep.TellSnipcart, paidAgain.Step);
    }
}
