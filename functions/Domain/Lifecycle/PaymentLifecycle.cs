namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>
/// The payment lifecycle's rules, all of them, as one pure decision: given the attempt, what set this pass off,
/// what the pass has learnt (the provider's verified view, a void's or the session's answer) and the clock, what
/// happens next. The executor (Payments.PaymentFinisher) performs the step and asks again. docs/payment-lifecycle.md
/// draws the states and names each rule; a test keeps the two in step.
/// </summary>
public static class PaymentLifecycle
{
    /// <summary>When the attempt's checkout stops being payable: the provider's word, else AbandonAfter after creation.</summary>
    public static DateTimeOffset ExpiresAt(PaymentAttempt attempt, TimeSpan abandonAfter) =>
        attempt.ExpiresAt ?? attempt.CreatedAt + abandonAfter;

    public static LifecycleDecision Decide(LifecycleInput input) =>
        Guard(input) ?? input.View switch
        {
            ProviderView.NotAsked => BeforeLookUp(input),
            ProviderView.Unreachable or ProviderView.Refused or ProviderView.ReturnRejected => AfterFailedLookUp(input),
            _ => OnProviderView(input),
        };

    /// <summary>What holds whatever the provider says: final words, settled attempts, claims, missing providers.</summary>
    private static LifecycleDecision? Guard(LifecycleInput input)
    {
        var attempt = input.Attempt;
        var state = PaymentStates.Of(attempt);
        if (state == PaymentState.GivingBack)
        {
            // Money to give back: the timer asks the provider again under the same refund id until it answers for
            // good; anyone else hears where the attempt stands.
            return input.Trigger == FinishTrigger.Reconciliation
                ? new(LifecycleStep.GiveBack, "give-back")
                : Finish(attempt.ConfirmedState is null ? FinishOutcome.Closed : FinishOutcome.Confirmed, "giving-back");
        }
        if (input.Trigger == FinishTrigger.Notification && state.IsFinal())
        {
            // Snipcart has its final word; the provider may still report money moving (paid after "failed", a
            // refund from its dashboard).
            return new(LifecycleStep.CheckLateMoney, "late-money");
        }
        if (state.IsFinal() || state == PaymentState.Closed
            && (attempt.NeedsAttention || input.Trigger == FinishTrigger.Reconciliation || attempt.GiveBackRefundId is not null))
        {
            // Nothing left to do. A closed attempt nobody flagged is still looked at when the shopper or the provider
            // speaks (a late "paid" goes through), unless its money was given back; a paid one given up is looked at
            // by anyone.
            return Finish(attempt.Abandoned ? FinishOutcome.Closed : FinishOutcome.Confirmed, "settled");
        }
        if (attempt.HasLiveClaim(input.Now))
        {
            // Another request is telling Snipcart: a returning shopper waits for it, anyone else leaves it.
            return input.MayWait ? new(LifecycleStep.Wait, "claimed") : Finish(FinishOutcome.Busy, "claimed");
        }
        if (!input.ProviderKnown || attempt.ProviderPaymentId is null)
        {
            return CloseIfStale(input, input.ProviderKnown ? FlagCodes.NeverCreated : FlagCodes.ProviderRemoved);
        }
        return null;
    }

    private static LifecycleDecision BeforeLookUp(LifecycleInput input) =>
        input.Void == VoidAnswer.Unreachable
            // A void that got no answer ends the pass: the shopper's cancel stands, an expiry is tried again later.
            ? Finish(input.Trigger == FinishTrigger.ShopperCancel ? FinishOutcome.Canceled : FinishOutcome.Unreachable, "void-unanswered")
            : new(LifecycleStep.LookUp, "look-up");

    /// <summary>Nothing to ask a provider about: reconciliation closes it once it is no longer fresh.</summary>
    private static LifecycleDecision CloseIfStale(LifecycleInput input, string reason)
    {
        var attempt = input.Attempt;
        if (input.Trigger == FinishTrigger.Reconciliation && attempt.ConfirmedState is null && input.Now - attempt.CreatedAt > input.Rules.ReconcileAfter)
        {
            return new(LifecycleStep.Save, "close-unaskable")
            {
                Outcome = FinishOutcome.Closed, Close = true, Flag = Flag.Note(reason), WaitingOnConflict = true,
            };
        }
        return Finish(FinishOutcome.Waiting, "unaskable");
    }

    private static LifecycleDecision AfterFailedLookUp(LifecycleInput input)
    {
        var attempt = input.Attempt;
        switch (input.View)
        {
            case ProviderView.ReturnRejected when !input.HasFreshReturn && attempt.ReturnParameters.Count > 0 && !input.KeptReturnRejected:
                // The parameters kept from an earlier return no longer do (a token that expired, a single-use one):
                // ask by the provider's own ids instead, or nothing would ever finish this payment.
                return new(LifecycleStep.LookUp, "kept-return-rejected") { DropKeptReturn = true };
            case ProviderView.ReturnRejected:
                // A forged or stale return: nothing of it is kept and nothing changes. The shopper waits on our status
                // page, which asks with what we knew before.
                return Finish(FinishOutcome.Waiting, "return-rejected");
            case ProviderView.Refused when input.Trigger == FinishTrigger.Reconciliation && input.Now - attempt.CreatedAt > input.Rules.AbandonAfter:
                // The provider has refused to tell us for a day (say it no longer knows the payment): stop asking,
                // and leave it to a person.
                return new(LifecycleStep.Save, "lookup-refused-for-a-day")
                {
                    Outcome = FinishOutcome.Closed, Close = true, Flag = Flag.RaiseUnlessCoded(FlagCodes.ProviderLookupRefused),
                };
            default:
                return Finish(FinishOutcome.Unreachable, "provider-unanswered");
        }
    }

    private static LifecycleDecision OnProviderView(LifecycleInput input)
    {
        var status = StatusOf(input.View);
        var givenBack = input.Attempt.GiveBackRefundId is not null;
        if (givenBack)
        {
            // Money the order does not keep, given back or on a person's list to give back: whatever the provider says
            // of it now (a "paid" after a view that failed verification is the same money), it is decided as a payment
            // that failed. Never confirmed or captured; a waiting shopper's Snipcart hears "failed"; the timer closes it.
            status = PaymentStatus.Failed;
        }
        if (input.Trigger == FinishTrigger.ShopperCancel && status != PaymentStatus.Paid)
        {
            return OnShopperCancel(input, status);
        }
        if (!givenBack && input.View is ProviderView.Authorized or ProviderView.AuthorizedMismatch && input.CanCapture
            && OnAuthorization(input) is { } authorization)
        {
            return authorization;
        }
        // Paid, but not as we asked for it: the money goes back, whatever Snipcart is told.
        var giveBack = input.View == ProviderView.Mismatched ? FlagCodes.PaymentMismatch : null;
        var decision = WithGiveBack(OnVerifiedView(input, status), giveBack);
        // A capture the provider refused fails the payment (voided first where it can be): a person hears of it.
        return input.Capture == CaptureAnswer.Refused && decision.Step is LifecycleStep.Save or LifecycleStep.TellSnipcart && decision.Flag is null
            ? decision with { Flag = Flag.Raise(FlagCodes.CaptureFailed) }
            : decision;
    }

    /// <summary>
    /// The shopper's money is held, not taken: an authorisation is never confirmed. It is captured (under the attempt's
    /// one capture id) and looked at again, so "processed" follows only a capture the provider reports; a duplicate or a
    /// mismatched authorisation is voided instead of captured; a refused capture is voided. Null: decided as any view.
    /// </summary>
    private static LifecycleDecision? OnAuthorization(LifecycleInput input)
    {
        var voidable = input.CanVoid && input.Void == VoidAnswer.NotAsked;
        if (input.View == ProviderView.AuthorizedMismatch)
        {
            return voidable ? new(LifecycleStep.Void, "void-mismatched-authorisation") : null;
        }
        switch (input.Capture)
        {
            case CaptureAnswer.Unreachable:
                return Finish(FinishOutcome.Unreachable, "capture-unanswered");
            case CaptureAnswer.Refused when voidable:
                return new(LifecycleStep.Void, "void-after-refused-capture");
            case CaptureAnswer.Refused:
                return Save(input, FinishOutcome.Waiting, "capture-refused") with { Flag = Flag.Raise(FlagCodes.CaptureFailed) };
            case CaptureAnswer.Captured or CaptureAnswer.Pending:
                // Captured, but the provider still reports the authorisation: recorded, and asked again later (a
                // capture under the same id is never a second one).
                return Save(input, FinishOutcome.Waiting, "capture-settling");
        }
        return input.Session switch
        {
            SessionAnswer.NotAsked => new(LifecycleStep.CheckSession, "check-session-before-capture"),
            SessionAnswer.PaidByAnother when voidable => new(LifecycleStep.Void, "void-duplicate-authorisation"),
            SessionAnswer.PaidByAnother => Save(input, FinishOutcome.Closed, "duplicate-authorisation") with
            {
                Close = true, Flag = Flag.Raise(FlagCodes.DuplicatePayment), TakePayingAttemptsReturnUrl = true,
            },
            _ => new(LifecycleStep.Capture, "capture"),
        };
    }

    private static LifecycleDecision WithGiveBack(LifecycleDecision decision, string? reason) =>
        reason is not null && decision.Step is LifecycleStep.Save or LifecycleStep.TellSnipcart && decision.GiveBack is null
            ? decision with { GiveBack = reason }
            : decision;

    private static LifecycleDecision OnVerifiedView(LifecycleInput input, PaymentStatus status)
    {
        var told = ConfirmationPolicy.Decide(input.Attempt, status, input.Trigger, input.Now, input.Rules.AbandonAfter);
        if (ClosesUnpaidCheckout(told, status) && input.CanVoid)
        {
            switch (input.Void)
            {
                case VoidAnswer.NotAsked:
                    // Expired and unpaid: void it at the provider before closing, then one last look.
                    return new(LifecycleStep.Void, "void-expired");
                case VoidAnswer.Refused:
                    // The provider refused to void a checkout its lookup still calls unpaid: it may have just been paid
                    // (a lookup that lags, a payment in flight). Neither closed nor told "failed": kept open, flagged,
                    // and checked again; a later lookup says which.
                    return Save(input, FinishOutcome.Waiting, "void-refused") with { Flag = Flag.Raise(FlagCodes.VoidRefused) };
            }
        }
        if (told.Send is not { } send)
        {
            return Save(input, told.Abandon ? FinishOutcome.Closed : FinishOutcome.Waiting, told.Abandon ? "close" : told.Attention is null ? "record" : "pending-too-long") with
            {
                Close = told.Abandon,
                Flag = told.Attention is { } code ? Flag.Raise(code) : null,
            };
        }
        return OnSend(input, status, send);
    }

    /// <summary>The shopper left the provider's page. Paid after all wins (it is confirmed like any payment).</summary>
    private static LifecycleDecision OnShopperCancel(LifecycleInput input, PaymentStatus status)
    {
        if (status == PaymentStatus.AwaitingShopper && input.CanVoid && input.Attempt.ConfirmedState is null && input.Void == VoidAnswer.NotAsked)
        {
            // Void the checkout there so it cannot be paid behind our back, then look once more.
            return new(LifecycleStep.Void, "void-on-cancel");
        }
        return Finish(FinishOutcome.Canceled, "shopper-cancel");
    }

    /// <summary>Snipcart is to be told <paramref name="send"/>: one session, one "processed"; and nothing at all for a
    /// session another attempt already paid.</summary>
    private static LifecycleDecision OnSend(LifecycleInput input, PaymentStatus status, SnipcartPaymentState send)
    {
        var attempt = input.Attempt;
        switch (input.Session)
        {
            case SessionAnswer.NotAsked:
                return new(LifecycleStep.ClaimSession, "claim-session") { Send = send };
            case SessionAnswer.Lost:
                return new(LifecycleStep.Reread, "session-changed");
            case SessionAnswer.Busy:
                // Another attempt of this session is telling Snipcart right now: wait for it, then decide again.
                return input.MayWait ? new(LifecycleStep.Wait, "session-busy") : Finish(FinishOutcome.Busy, "session-busy");
            case SessionAnswer.PaidByAnother:
                return OnSessionPaidByAnother(input, status);
        }
        var reopen = attempt.Abandoned;
        return new(LifecycleStep.TellSnipcart, reopen ? "confirm-given-up" : "confirm")
        {
            Send = send,
            RecordView = true,
            // Given up earlier, paid after all: back on the list, so a crash from here on is reconciled. Snipcart never
            // heard anything of it, so it is confirmed; but the merchant must know an order arrived this late (the
            // stock, the shopper who may have paid again elsewhere).
            Reopen = reopen,
            Flag = reopen && send == SnipcartPaymentState.Processed ? Flag.Raise(FlagCodes.PaidAfterAbandoned) : null,
        };
    }

    /// <summary>The order is paid by another attempt: this shopper goes where that attempt's shopper went. Money still
    /// pending here is not closed: if it is paid too, reconciliation sees the duplicate.</summary>
    private static LifecycleDecision OnSessionPaidByAnother(LifecycleInput input, PaymentStatus status) =>
        Save(input, FinishOutcome.Closed, status switch
        {
            PaymentStatus.Pending => "pending-on-paid-session",
            PaymentStatus.Paid => "duplicate-payment",
            _ => "session-paid-by-another",
        }) with
        {
            TakePayingAttemptsReturnUrl = true,
            Close = status != PaymentStatus.Pending,
            Reopen = status == PaymentStatus.Pending && input.Attempt.Abandoned,
            Flag = status switch
            {
                PaymentStatus.Pending => Flag.Raise(FlagCodes.PendingOnPaidSession),
                PaymentStatus.Paid => Flag.RaiseUnlessCoded(FlagCodes.DuplicatePayment),
                _ => null,
            },
            // The order is paid once already: this payment goes back.
            GiveBack = status == PaymentStatus.Paid ? FlagCodes.DuplicatePayment : null,
        };

    /// <summary>The view the provider gave, as the status recorded on the attempt (a payment that failed
    /// verification is recorded failed).</summary>
    public static PaymentStatus StatusOf(ProviderView view) => view switch
    {
        ProviderView.Paid => PaymentStatus.Paid,
        ProviderView.AwaitingShopper => PaymentStatus.AwaitingShopper,
        ProviderView.Failed or ProviderView.Mismatched or ProviderView.RefundedInFull or ProviderView.AuthorizedMismatch => PaymentStatus.Failed,
        ProviderView.Authorized => PaymentStatus.Authorized,
        ProviderView.Canceled => PaymentStatus.Canceled,
        _ => PaymentStatus.Pending,
    };

    /// <summary>The decision closes (or fails) a checkout nobody paid: the moment to void it at the provider.</summary>
    private static bool ClosesUnpaidCheckout(ConfirmationDecision decision, PaymentStatus status) =>
        status == PaymentStatus.AwaitingShopper && (decision.Abandon || decision.Send == SnipcartPaymentState.Failed);

    private static LifecycleDecision Finish(FinishOutcome outcome, string rule) => new(LifecycleStep.Finish, rule) { Outcome = outcome };

    private static LifecycleDecision Save(LifecycleInput input, FinishOutcome outcome, string rule) =>
        new(LifecycleStep.Save, rule) { Outcome = outcome, RecordView = true };
}
