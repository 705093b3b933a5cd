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
