namespace SnipcartGateway.Domain;

/// <summary>What set off a look at an attempt.</summary>
public enum FinishTrigger
{
    /// <summary>The shopper came back from the provider: they need a Snipcart returnUrl now.</summary>
    ShopperReturn,
    /// <summary>The shopper cancelled at the provider.</summary>
    ShopperCancel,
    /// <summary>The provider notified us (webhook, IPN).</summary>
    Notification,
    /// <summary>The reconciliation timer.</summary>
    Reconciliation,
}

/// <param name="Attention">Nothing to send and nothing to close, but a person must look: the code flagged on the
/// attempt (see <see cref="ConfirmationPolicy.PendingTooLong"/>).</param>
public sealed record ConfirmationDecision(SnipcartPaymentState? Send, bool Abandon, string? Attention = null)
{
    public static readonly ConfirmationDecision Nothing = new(null, false);
}

/// <summary>
/// Decides what Snipcart must be told about an attempt, given what its provider says now and who is asking.
/// A payment is always confirmed "processed" as soon as anyone sees it paid. "processing" means the provider is
/// processing money the shopper committed (<see cref="PaymentStatus.Pending"/>), never a payment the shopper has
/// not acted on (<see cref="PaymentStatus.AwaitingShopper"/>). "processing" and "failed" are only
/// worth telling a shopper who is waiting on us, or a Snipcart that was already told "processing" and awaits a
/// final word: telling a session "failed" behind the shopper's back could spoil their next attempt.
/// </summary>
public static class ConfirmationPolicy
{
    /// <summary>Money committed at the provider and still not settled after AbandonAfter.</summary>
    public const string PendingTooLong = Lifecycle.FlagCodes.PendingTooLong;

    public static ConfirmationDecision Decide(PaymentAttempt attempt, PaymentStatus status, FinishTrigger trigger, DateTimeOffset now, TimeSpan abandonAfter)
    {
        if (attempt.ConfirmedState is { } confirmed && confirmed.IsFinal())
        {
            return ConfirmationDecision.Nothing;
        }
        var toldProcessing = attempt.ConfirmedState == SnipcartPaymentState.Processing;
        switch (status)
        {
            case PaymentStatus.Paid:
                return new ConfirmationDecision(SnipcartPaymentState.Processed, false);

            case PaymentStatus.Failed or PaymentStatus.Canceled:
                if (trigger == FinishTrigger.ShopperReturn || toldProcessing)
                {
                    return new ConfirmationDecision(SnipcartPaymentState.Failed, false);
                }
                // Nobody waits for an answer: close the attempt quietly.
                return new ConfirmationDecision(null, Abandon: trigger == FinishTrigger.Reconciliation);

            case PaymentStatus.AwaitingShopper:
            {
                // No money is committed: "processing" would promise Snipcart a payment that may never come. A
                // shopper who returns early waits on our status page; one who never acts is given up like any
                // unpaid attempt. An attempt already told "processing" (before this rule, or a provider that went
                // back) gets its final word once it is stale: the shopper never paid.
                var givenUp = now > Lifecycle.PaymentLifecycle.ExpiresAt(attempt, abandonAfter);
                if (toldProcessing)
                {
                    return givenUp && trigger == FinishTrigger.Reconciliation
                        ? new ConfirmationDecision(SnipcartPaymentState.Failed, false)
                        : ConfirmationDecision.Nothing;
                }
                return new ConfirmationDecision(null, Abandon: trigger == FinishTrigger.Reconciliation && givenUp);
            }

            default:
                if (trigger == FinishTrigger.ShopperReturn && attempt.ConfirmedState is null)
                {
                    return new ConfirmationDecision(SnipcartPaymentState.Processing, false);
                }
                // Money is committed: never closed, or a "paid" that comes later (its notification lost) would never
                // reach Snipcart. Reconciliation keeps asking; after a day a person is told too.
                var stale = now - attempt.CreatedAt > abandonAfter;
                return trigger == FinishTrigger.Reconciliation && stale
                    ? new ConfirmationDecision(null, false, PendingTooLong)
                    : ConfirmationDecision.Nothing;
        }
    }
}
