namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>Where giving an attempt's money back stands.</summary>
public enum GiveBackState
{
    /// <summary>Decided and reserved; the provider has not answered yet (or gave no answer): asked again under the
    /// same refund id.</summary>
    Requested,
    /// <summary>The provider accepted the refund and has not settled it.</summary>
    Pending,
    /// <summary>The provider gave the money back.</summary>
    Done,
    /// <summary>The provider refused: a person must give it back.</summary>
    Refused,
    /// <summary>The provider has no refund API: a person must give it back in its dashboard.</summary>
    ByHand,
}

public static class GiveBacks
{
    /// <summary>The refund id that gives an attempt's money back: one per attempt, so a retry, a race or a crash between
    /// deciding and recording can only ever find the same refund, never start a second one.</summary>
    public static string RefundIdFor(string paymentRef) => Prefix + paymentRef;

    /// <summary>True for a refund id the gateway gives a give-back (what a provider echoes as the refund's reference).</summary>
    public static bool IsGiveBackRefundId(string? refundId) =>
        refundId is not null && refundId.StartsWith(Prefix, StringComparison.Ordinal)
        && PaymentReferences.IsWellFormedPaymentRef(refundId[Prefix.Length..]);

    private const string Prefix = "gb_";

    /// <summary>
    /// A give-back a person made by hand in the provider's dashboard and marked done (in the support console), recorded
    /// on the attempt as if the provider had answered it: given back (the shopper's status page says so), and its
    /// <c>refund_by_hand</c> flag left as such an answer leaves it (a duplicate needs nobody; a payment that failed
    /// verification stays on the list with its reason, for the merchant to see why it differed). False when the refund is not this attempt's give-back by
    /// hand, or it was recorded already (a retry, or the timer repairing a crash).
    /// </summary>
    public static bool SettleByHand(PaymentAttempt attempt, string refundId, DateTimeOffset now)
    {
        if (attempt.GiveBackRefundId != refundId || attempt.GiveBackState != GiveBackState.ByHand)
        {
            return false;
        }
        attempt.GiveBackState = GiveBackState.Done;
        if (attempt.FailureCode == FlagCodes.RefundByHand)
        {
            // Only this rule's own flag is lowered (never raised again if a person already did); a flag for something
            // else is that concern's.
            attempt.NeedsAttention &= attempt.GiveBackReason != FlagCodes.DuplicatePayment;
            attempt.FailureCode = attempt.GiveBackReason;
        }
        attempt.UpdatedAt = now;
        return true;
    }

    /// <summary>Decides to give the attempt's money back (in memory; the executor records the refund first, then
    /// writes the attempt): the whole amount is reserved against the payment like any refund.</summary>
    public static void Decide(PaymentAttempt attempt, string reason, DateTimeOffset now)
    {
        if (attempt.GiveBackRefundId is not null)
        {
            return;
        }
        attempt.GiveBackRefundId = RefundIdFor(attempt.PaymentRef);
        attempt.GiveBackReason = reason;
        attempt.GiveBackState = GiveBackState.Requested;
        // Never confirmed, so nothing was refunded through Snipcart: the whole amount goes back.
        attempt.RefundedAmount = attempt.Amount.Amount;
        attempt.ReservedRefundIds.Add(attempt.GiveBackRefundId);
        attempt.UpdatedAt = now;
    }
}
