namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>Turns a provider's answer into the view the lifecycle decides on, after checking it against the attempt.</summary>
public static class ProviderViews
{
    /// <param name="mismatch">Why a paid answer is not this payment as we asked for it (logged by the caller).</param>
    public static ProviderView Classify(
        PaymentAttempt attempt, PaymentStatus status, Money? amount, string? reference, Money? refundedAmount,
        bool echoesAmount, bool echoesReference, out string? mismatch)
    {
        mismatch = null;
        if (status == PaymentStatus.Authorized)
        {
            // An authorisation is checked like a payment before anything is captured.
            mismatch = PaymentVerification.FindMismatch(attempt, amount, reference, echoesAmount, echoesReference);
            return mismatch is null ? ProviderView.Authorized : ProviderView.AuthorizedMismatch;
        }
        if (status != PaymentStatus.Paid)
        {
            return status switch
            {
                PaymentStatus.AwaitingShopper => ProviderView.AwaitingShopper,
                PaymentStatus.Failed => ProviderView.Failed,
                PaymentStatus.Canceled => ProviderView.Canceled,
                _ => ProviderView.Pending,
            };
        }
        mismatch = PaymentVerification.FindMismatch(attempt, amount, reference, echoesAmount, echoesReference);
        if (mismatch is not null)
        {
            return ProviderView.Mismatched;
        }
        if (attempt.ConfirmedState is not SnipcartPaymentState.Processed && refundedAmount is { } refunded
            && refunded.Currency == attempt.Amount.Currency && refunded.Amount >= attempt.Amount.Amount)
        {
            // Paid, and already given back in full before Snipcart heard of it (a void-or-refund that raced the
            // shopper's payment, a dashboard refund): no order may be confirmed on money the shopper has back.
            mismatch = $"The provider reports it refunded in full ({refunded}) before it was confirmed.";
            return ProviderView.RefundedInFull;
        }
        return ProviderView.Paid;
    }

    /// <summary>Only an answer checked against this attempt may leave anything on it for later lookups (its data, the
    /// return parameters it accepted).</summary>
    public static bool DescribesThisPayment(ProviderView view, string? reference, string paymentRef) =>
        view is not (ProviderView.Mismatched or ProviderView.RefundedInFull or ProviderView.AuthorizedMismatch) && (reference is null || reference == paymentRef);
}
