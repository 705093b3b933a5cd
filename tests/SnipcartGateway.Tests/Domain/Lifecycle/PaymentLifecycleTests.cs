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

    [Theory]
    // where the give-back ended, already closed, trigger, what the provider says now → step, closes
    [InlineData(GiveBackState.ByHand, false, FinishTrigger.ShopperReturn, ProviderView.Paid, LifecycleStep.Save, true)]
    [InlineData(GiveBackState.ByHand, false, FinishTrigger.Notification, ProviderView.Paid, LifecycleStep.Save, true)]
    [InlineData(GiveBackState.Refused, false, FinishTrigger.ShopperCancel, ProviderView.Paid, LifecycleStep.Save, true)]
    [InlineData(GiveBackState.Done, false, FinishTrigger.Reconciliation, ProviderView.NotAsked, LifecycleStep.Save, true)]
    [InlineData(GiveBackState.ByHand, true, FinishTrigger.ShopperReturn, ProviderView.Paid, LifecycleStep.Finish, false)]
    [InlineData(GiveBackState.Done, true, FinishTrigger.Notification, ProviderView.NotAsked, LifecycleStep.Finish, false)]
    public void Money_given_back_or_to_give_back_is_never_confirmed_whatever_the_provider_says_later(GiveBackState ended, bool abandoned, FinishTrigger trigger, ProviderView view, LifecycleStep step, bool closes)
    {
        // A payment that failed verification on a notification (nobody waiting, so Snipcart was told nothing), whose
        // money went back or is on a person's list; the provider now says "paid" as asked.
        var input = Case(PaymentState.Declined, trigger, view).Input();
        GiveBacks.Decide(input.Attempt, FlagCodes.PaymentMismatch, LifecycleCase.Now);
        input.Attempt.GiveBackState = ended;
        input.Attempt.Abandoned = abandoned;

        var decision = PaymentLifecycle.Decide(input);

        Assert.Equal((step, closes, FinishOutcome.Closed, (SnipcartPaymentState?)null, "given-back"), (decision.Step, decision.Close, decision.Outcome, decision.Send, decision.Rule));
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
