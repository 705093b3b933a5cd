using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Domain.Lifecycle.LifecycleStep;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>Whole decisions, every field of them (rule, outcome, what is recorded, closed, reopened, flagged, given back,
/// where the shopper goes), for what <see cref="PaymentLifecycleTableTests"/> does not vary or does not compare: a
/// provider that captures but cannot void, what Snipcart was told of money being given back, a closed attempt's flag
/// and give-back, kept return parameters.</summary>
public sealed class LifecycleDecisionDetailsTests
{
    private static LifecycleInput Input(PaymentState state, FinishTrigger trigger, ProviderView view, SessionAnswer session = SessionAnswer.NotAsked,
        CaptureAnswer capture = CaptureAnswer.NotAsked, bool canVoid = false, bool canCapture = false, VoidAnswer voidAnswer = VoidAnswer.NotAsked) =>
        new LifecycleCase(state, Age.Fresh, Claimed: false, canVoid, trigger, view, voidAnswer, session, capture).Input() with { CanCapture = canCapture };

    private static LifecycleDecision Saved(string rule, FinishOutcome outcome) => new(Save, rule) { Outcome = outcome, RecordView = true };

    // ---- Guards ----

    [Theory]
    // trigger, what Snipcart was told → decision
    [InlineData(FinishTrigger.Reconciliation, null, GiveBack, FinishOutcome.NotFound, "give-back")]
    [InlineData(FinishTrigger.Reconciliation, SnipcartPaymentState.Processing, GiveBack, FinishOutcome.NotFound, "give-back")]
    [InlineData(FinishTrigger.ShopperReturn, null, Finish, FinishOutcome.Closed, "giving-back")]
    [InlineData(FinishTrigger.Notification, null, Finish, FinishOutcome.Closed, "giving-back")]
    [InlineData(FinishTrigger.ShopperReturn, SnipcartPaymentState.Processing, Finish, FinishOutcome.Confirmed, "giving-back")]
    [InlineData(FinishTrigger.ShopperCancel, SnipcartPaymentState.Processing, Finish, FinishOutcome.Confirmed, "giving-back")]
    public void Money_being_given_back_is_asked_about_by_the_timer_and_reported_to_anyone_else(FinishTrigger trigger, SnipcartPaymentState? told, LifecycleStep step, FinishOutcome outcome, string rule)
    {
        var input = Input(PaymentState.GivingBack, trigger, ProviderView.Paid, SessionAnswer.Ours);
        input.Attempt.ConfirmedState = told;

        Assert.Equal(new LifecycleDecision(step, rule) { Outcome = outcome }, PaymentLifecycle.Decide(input));
    }

    [Theory]
    // state, trigger, abandoned, flagged, given back by hand → decision's step, outcome, rule
    [InlineData(PaymentState.Processed, FinishTrigger.ShopperReturn, false, false, false, Finish, FinishOutcome.Confirmed, "settled")]
    [InlineData(PaymentState.Processed, FinishTrigger.ShopperReturn, true, false, false, Finish, FinishOutcome.Closed, "settled")]
    [InlineData(PaymentState.Failed, FinishTrigger.Reconciliation, true, false, false, Finish, FinishOutcome.Closed, "settled")]
    [InlineData(PaymentState.Processed, FinishTrigger.Notification, false, false, false, CheckLateMoney, FinishOutcome.NotFound, "late-money")]
    [InlineData(PaymentState.Closed, FinishTrigger.ShopperReturn, true, true, false, Finish, FinishOutcome.Closed, "settled")]
    [InlineData(PaymentState.Closed, FinishTrigger.Notification, true, false, true, Finish, FinishOutcome.Closed, "settled")]
    [InlineData(PaymentState.Closed, FinishTrigger.ShopperReturn, true, false, true, Finish, FinishOutcome.Closed, "settled")]
    [InlineData(PaymentState.Closed, FinishTrigger.Reconciliation, true, false, false, Finish, FinishOutcome.Closed, "settled")]
    // Closed, nobody flagged it, nothing given back: the shopper or the provider speaking is looked into.
    [InlineData(PaymentState.Closed, FinishTrigger.Notification, true, false, false, LookUp, FinishOutcome.NotFound, "look-up")]
    [InlineData(PaymentState.Closed, FinishTrigger.ShopperReturn, true, false, false, LookUp, FinishOutcome.NotFound, "look-up")]
    // Paid and given up: anyone may still confirm it, the timer too, flagged or not.
    [InlineData(PaymentState.GivenUpPaid, FinishTrigger.Reconciliation, true, true, false, LookUp, FinishOutcome.NotFound, "look-up")]
    public void What_is_settled_stays_settled_and_a_closed_attempt_is_reopened_only_by_a_voice_nobody_silenced(
        PaymentState state, FinishTrigger trigger, bool abandoned, bool flagged, bool givenBack, LifecycleStep step, FinishOutcome outcome, string rule)
    {
        var input = Input(state, trigger, ProviderView.NotAsked);
        input.Attempt.Abandoned = abandoned;
        input.Attempt.NeedsAttention = flagged;
        if (givenBack)
        {
            GiveBacks.Decide(input.Attempt, FlagCodes.PaymentMismatch, LifecycleCase.Now);
            input.Attempt.GiveBackState = GiveBackState.ByHand;
        }

        Assert.Equal(new LifecycleDecision(step, rule) { Outcome = outcome }, PaymentLifecycle.Decide(input));
    }

    [Theory]
    // kept parameters, this pass brought a return, kept ones already rejected → decision
    [InlineData(1, false, false, true)]
    [InlineData(2, false, false, true)]
    [InlineData(0, false, false, false)]
    [InlineData(1, true, false, false)]
    [InlineData(1, false, true, false)]
    public void Kept_return_parameters_the_provider_rejects_are_dropped_once(int kept, bool freshReturn, bool keptRejected, bool dropped)
    {
        var input = Input(PaymentState.Pending, FinishTrigger.Notification, ProviderView.ReturnRejected) with { HasFreshReturn = freshReturn, KeptReturnRejected = keptRejected };
        for (var i = 0; i < kept; i++)
        {
            input.Attempt.ReturnParameters[$"p{i}"] = "v";
        }

        Assert.Equal(dropped
            ? new LifecycleDecision(LookUp, "kept-return-rejected") { DropKeptReturn = true }
            : new LifecycleDecision(Finish, "return-rejected") { Outcome = FinishOutcome.Waiting }, PaymentLifecycle.Decide(input));
    }

    // ---- Authorised money ----

    [Theory]
    // session, capture answer, can void → decision (the provider can capture)
    [InlineData(SessionAnswer.NotAsked, CaptureAnswer.NotAsked, false, CheckSession, "check-session-before-capture")]
    [InlineData(SessionAnswer.Unpaid, CaptureAnswer.NotAsked, false, Capture, "capture")]
    [InlineData(SessionAnswer.Ours, CaptureAnswer.NotAsked, false, Capture, "capture")]
    [InlineData(SessionAnswer.Unpaid, CaptureAnswer.Unreachable, false, Finish, "capture-unanswered")]
    [InlineData(SessionAnswer.Unpaid, CaptureAnswer.Unreachable, true, Finish, "capture-unanswered")]
    [InlineData(SessionAnswer.Unpaid, CaptureAnswer.Refused, true, LifecycleStep.Void, "void-after-refused-capture")]
    [InlineData(SessionAnswer.PaidByAnother, CaptureAnswer.NotAsked, true, LifecycleStep.Void, "void-duplicate-authorisation")]
    public void An_authorisation_is_checked_against_the_session_then_captured(SessionAnswer session, CaptureAnswer capture, bool canVoid, LifecycleStep step, string rule)
    {
        var decision = PaymentLifecycle.Decide(Input(PaymentState.Pending, FinishTrigger.Notification, ProviderView.Authorized, session, capture, canVoid, canCapture: true));

        Assert.Equal(step == Finish
            ? new LifecycleDecision(step, rule) { Outcome = FinishOutcome.Unreachable }
            : new LifecycleDecision(step, rule), decision);
    }

    [Fact]
    public void A_refused_capture_that_cannot_be_voided_is_recorded_and_flagged()
    {
        var decision = PaymentLifecycle.Decide(Input(PaymentState.Pending, FinishTrigger.Notification, ProviderView.Authorized, SessionAnswer.Unpaid, CaptureAnswer.Refused, canCapture: true));

        Assert.Equal(Saved("capture-refused", FinishOutcome.Waiting) with { Flag = Flag.Raise(FlagCodes.CaptureFailed) }, decision);
    }

    [Theory]
    [InlineData(CaptureAnswer.Captured)]
    [InlineData(CaptureAnswer.Pending)]
    public void A_capture_the_provider_still_reports_as_authorised_is_recorded_and_looked_at_again(CaptureAnswer capture)
    {
        var decision = PaymentLifecycle.Decide(Input(PaymentState.Pending, FinishTrigger.Notification, ProviderView.Authorized, SessionAnswer.Unpaid, capture, canCapture: true));

        Assert.Equal(Saved("capture-settling", FinishOutcome.Waiting), decision);
    }

    [Fact]
    public void A_duplicate_authorisation_that_cannot_be_voided_is_closed_flagged_and_its_shopper_sent_where_the_payer_went()
    {
        var decision = PaymentLifecycle.Decide(Input(PaymentState.Pending, FinishTrigger.ShopperReturn, ProviderView.Authorized, SessionAnswer.PaidByAnother, canCapture: true));

        Assert.Equal(Saved("duplicate-authorisation", FinishOutcome.Closed) with
        {
            Close = true, Flag = Flag.Raise(FlagCodes.DuplicatePayment), TakePayingAttemptsReturnUrl = true,
        }, decision);
    }

    [Theory]
    // view, can void, can capture → decision
    [InlineData(ProviderView.AuthorizedMismatch, true, true, LifecycleStep.Void, "void-mismatched-authorisation", FinishOutcome.NotFound, false)]
    // Nothing to void it with: recorded as the failed payment it is.
    [InlineData(ProviderView.AuthorizedMismatch, false, true, Save, "record", FinishOutcome.Waiting, true)]
    [InlineData(ProviderView.AuthorizedMismatch, true, false, Save, "record", FinishOutcome.Waiting, true)]
    // A provider that cannot capture: its authorisation is waited on like money pending.
    [InlineData(ProviderView.Authorized, true, false, Save, "record", FinishOutcome.Waiting, true)]
    [InlineData(ProviderView.Authorized, false, false, Save, "record", FinishOutcome.Waiting, true)]
    public void Only_a_provider_that_captures_has_its_authorisations_captured_or_voided(ProviderView view, bool canVoid, bool canCapture, LifecycleStep step, string rule, FinishOutcome outcome, bool recorded)
    {
        var decision = PaymentLifecycle.Decide(Input(PaymentState.Pending, FinishTrigger.Notification, view, SessionAnswer.Unpaid, canVoid: canVoid, canCapture: canCapture));

        Assert.Equal(new LifecycleDecision(step, rule) { Outcome = outcome, RecordView = recorded }, decision);
    }

    // ---- Telling Snipcart ----

    [Theory]
    // state, view, trigger → rule, state sent, reopened, flag, give-back
    [InlineData(PaymentState.Paid, ProviderView.Paid, FinishTrigger.Notification, "confirm", SnipcartPaymentState.Processed, false, null, null)]
    [InlineData(PaymentState.Pending, ProviderView.Pending, FinishTrigger.ShopperReturn, "confirm", SnipcartPaymentState.Processing, false, null, null)]
    [InlineData(PaymentState.AwaitingShopper, ProviderView.Mismatched, FinishTrigger.ShopperReturn, "confirm", SnipcartPaymentState.Failed, false, null, FlagCodes.PaymentMismatch)]
    [InlineData(PaymentState.GivenUpPaid, ProviderView.Paid, FinishTrigger.Reconciliation, "confirm-given-up", SnipcartPaymentState.Processed, true, FlagCodes.PaidAfterAbandoned, null)]
    [InlineData(PaymentState.Closed, ProviderView.Paid, FinishTrigger.Notification, "confirm-given-up", SnipcartPaymentState.Processed, true, FlagCodes.PaidAfterAbandoned, null)]
    // Given up, and now failed: reopened to tell it, but nobody need look.
    [InlineData(PaymentState.Closed, ProviderView.Failed, FinishTrigger.ShopperReturn, "confirm-given-up", SnipcartPaymentState.Failed, true, null, null)]
    [InlineData(PaymentState.Closed, ProviderView.Mismatched, FinishTrigger.ShopperReturn, "confirm-given-up", SnipcartPaymentState.Failed, true, null, FlagCodes.PaymentMismatch)]
    public void Snipcart_is_told_with_the_view_recorded_and_a_late_payment_flagged(PaymentState state, ProviderView view, FinishTrigger trigger, string rule, SnipcartPaymentState send, bool reopen, string? flag, string? giveBack)
    {
        var decision = PaymentLifecycle.Decide(Input(state, trigger, view, SessionAnswer.Ours));

        Assert.Equal(new LifecycleDecision(TellSnipcart, rule)
        {
            Send = send, RecordView = true, Reopen = reopen, Flag = flag is null ? null : Flag.Raise(flag), GiveBack = giveBack,
        }, decision);
    }

    [Theory]
    // state, view, trigger → rule, closed, reopened, flag (replacing a code or not), give-back
    [InlineData(PaymentState.Pending, ProviderView.Pending, FinishTrigger.ShopperReturn, "pending-on-paid-session", false, false, FlagCodes.PendingOnPaidSession, true, null)]
    [InlineData(PaymentState.Closed, ProviderView.Pending, FinishTrigger.ShopperReturn, "pending-on-paid-session", false, true, FlagCodes.PendingOnPaidSession, true, null)]
    [InlineData(PaymentState.Paid, ProviderView.Paid, FinishTrigger.Notification, "duplicate-payment", true, false, FlagCodes.DuplicatePayment, false, FlagCodes.DuplicatePayment)]
    [InlineData(PaymentState.GivenUpPaid, ProviderView.Paid, FinishTrigger.Notification, "duplicate-payment", true, false, FlagCodes.DuplicatePayment, false, FlagCodes.DuplicatePayment)]
    [InlineData(PaymentState.AwaitingShopper, ProviderView.Failed, FinishTrigger.ShopperReturn, "session-paid-by-another", true, false, null, false, null)]
    [InlineData(PaymentState.AwaitingShopper, ProviderView.Mismatched, FinishTrigger.ShopperReturn, "session-paid-by-another", true, false, null, false, FlagCodes.PaymentMismatch)]
    public void A_session_another_attempt_paid_sends_this_shopper_where_that_one_went(PaymentState state, ProviderView view, FinishTrigger trigger, string rule, bool close, bool reopen, string? flag, bool replace, string? giveBack)
    {
        var decision = PaymentLifecycle.Decide(Input(state, trigger, view, SessionAnswer.PaidByAnother));

        Assert.Equal(Saved(rule, FinishOutcome.Closed) with
        {
            TakePayingAttemptsReturnUrl = true, Close = close, Reopen = reopen, Flag = flag is null ? null : new Flag(flag, replace, Attention: true), GiveBack = giveBack,
        }, decision);
    }

    [Theory]
    // session answer → decision, for a paid answer that failed verification while the shopper waits ("failed" is to be told)
    [InlineData(SessionAnswer.NotAsked, ClaimSession, "claim-session")]
    [InlineData(SessionAnswer.Lost, Reread, "session-changed")]
    [InlineData(SessionAnswer.Busy, Wait, "session-busy")]
    public void Mismatched_money_is_given_back_only_by_a_decision_that_writes(SessionAnswer session, LifecycleStep step, string rule)
    {
        var decision = PaymentLifecycle.Decide(Input(PaymentState.AwaitingShopper, FinishTrigger.ShopperReturn, ProviderView.Mismatched, session));

        Assert.Equal(new LifecycleDecision(step, rule) { Send = step == ClaimSession ? SnipcartPaymentState.Failed : null }, decision);
        Assert.Null(decision.GiveBack);
    }

    [Theory]
    // state, view, age, trigger → rule, outcome, closed, flag
    [InlineData(PaymentState.Pending, ProviderView.Pending, Age.Fresh, FinishTrigger.Reconciliation, "record", FinishOutcome.Waiting, false, null)]
    [InlineData(PaymentState.Pending, ProviderView.Pending, Age.Expired, FinishTrigger.Notification, "record", FinishOutcome.Waiting, false, null)]
    [InlineData(PaymentState.Pending, ProviderView.Pending, Age.Expired, FinishTrigger.Reconciliation, "pending-too-long", FinishOutcome.Waiting, false, FlagCodes.PendingTooLong)]
    [InlineData(PaymentState.Pending, ProviderView.Authorized, Age.Expired, FinishTrigger.Reconciliation, "pending-too-long", FinishOutcome.Waiting, false, FlagCodes.PendingTooLong)]
    [InlineData(PaymentState.AwaitingShopper, ProviderView.AwaitingShopper, Age.Expired, FinishTrigger.Reconciliation, "close", FinishOutcome.Closed, true, null)]
    [InlineData(PaymentState.AwaitingShopper, ProviderView.Failed, Age.Fresh, FinishTrigger.Reconciliation, "close", FinishOutcome.Closed, true, null)]
    public void With_nothing_to_tell_Snipcart_the_view_is_recorded_closed_or_flagged_as_pending_too_long(
        PaymentState state, ProviderView view, Age age, FinishTrigger trigger, string rule, FinishOutcome outcome, bool close, string? flag)
    {
        var input = new LifecycleCase(state, age, Claimed: false, CanVoid: false, trigger, view, VoidAnswer.NotAsked, SessionAnswer.NotAsked).Input();

        Assert.Equal(Saved(rule, outcome) with { Close = close, Flag = flag is null ? null : Flag.Raise(flag) }, PaymentLifecycle.Decide(input));
    }

    [Theory]
    // view, void answer → decision (an expired, unpaid checkout at a provider that can void)
    [InlineData(VoidAnswer.NotAsked, LifecycleStep.Void, "void-expired")]
    [InlineData(VoidAnswer.Refused, Save, "void-refused")]
    [InlineData(VoidAnswer.Voided, Save, "close")]
    public void An_expired_checkout_is_voided_before_it_is_closed(VoidAnswer voidAnswer, LifecycleStep step, string rule)
    {
        var input = new LifecycleCase(PaymentState.AwaitingShopper, Age.Expired, false, CanVoid: true, FinishTrigger.Reconciliation, ProviderView.AwaitingShopper, voidAnswer, SessionAnswer.NotAsked).Input();

        var expected = step switch
        {
            LifecycleStep.Void => new LifecycleDecision(LifecycleStep.Void, rule),
            _ when voidAnswer == VoidAnswer.Refused => Saved(rule, FinishOutcome.Waiting) with { Flag = Flag.Raise(FlagCodes.VoidRefused) },
            _ => Saved(rule, FinishOutcome.Closed) with { Close = true },
        };
        Assert.Equal(expected, PaymentLifecycle.Decide(input));
    }

    [Theory]
    // trigger, view → the status recorded
    [InlineData(ProviderView.Paid, PaymentStatus.Paid)]
    [InlineData(ProviderView.AwaitingShopper, PaymentStatus.AwaitingShopper)]
    [InlineData(ProviderView.Failed, PaymentStatus.Failed)]
    [InlineData(ProviderView.Mismatched, PaymentStatus.Failed)]
    [InlineData(ProviderView.RefundedInFull, PaymentStatus.Failed)]
    [InlineData(ProviderView.AuthorizedMismatch, PaymentStatus.Failed)]
    [InlineData(ProviderView.Authorized, PaymentStatus.Authorized)]
    [InlineData(ProviderView.Canceled, PaymentStatus.Canceled)]
    [InlineData(ProviderView.Pending, PaymentStatus.Pending)]
    [InlineData(ProviderView.NotAsked, PaymentStatus.Pending)]
    [InlineData(ProviderView.Unreachable, PaymentStatus.Pending)]
    public void Each_view_is_recorded_as_one_status(ProviderView view, PaymentStatus status)
    {
        Assert.Equal(status, PaymentLifecycle.StatusOf(view));
    }
}
