namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>What a decision changes on the attempt itself, in memory: the executor writes it (conditional on the
/// ETag) and the lifecycle's tests apply it to find where a decision leads.</summary>
public static class LifecycleEffects
{
    private const string NotVerified = "The payment could not be verified.";

    /// <summary>Records what the provider said, as the lifecycle classified it: a payment that failed verification is
    /// recorded failed, with the mismatch code, and flagged.
    /// A payment whose money the gateway already decided to give back keeps its code and flag: they now say what the
    /// give-back needs (<c>refund_by_hand</c>, <c>refund_refused</c>, or nothing once it is done or a person settled
    /// it), and a later look at the same payment (paid, or refunded in full by the give-back itself) must not
    /// overwrite them.</summary>
    public static void RecordView(PaymentAttempt attempt, ProviderView view, string providerStatus, string? transactionId, string? failureCode, string? failureMessage, DateTimeOffset now)
    {
        var mismatched = view is ProviderView.Mismatched or ProviderView.RefundedInFull or ProviderView.AuthorizedMismatch;
        if (attempt.GiveBackRefundId is not null)
        {
            attempt.RecordProviderView(PaymentLifecycle.StatusOf(view), providerStatus, transactionId, attempt.FailureCode, attempt.FailureMessage, now);
            return;
        }
        attempt.RecordProviderView(PaymentLifecycle.StatusOf(view), providerStatus, transactionId,
            mismatched ? FlagCodes.PaymentMismatch : failureCode, mismatched ? NotVerified : failureMessage, now);
        attempt.NeedsAttention |= mismatched;
    }

    /// <summary>Closing, reopening and flags.</summary>
    public static void Apply(PaymentAttempt attempt, LifecycleDecision decision, DateTimeOffset now)
    {
        if (decision.Close)
        {
            attempt.Abandoned = true;
        }
        if (decision.Reopen)
        {
            attempt.Abandoned = false;
        }
        if (decision.GiveBack is { } reason)
        {
            GiveBacks.Decide(attempt, reason, now);
        }
        if (decision.Flag is { } flag)
        {
            attempt.NeedsAttention |= flag.Attention;
            if (flag.Code is { } code && (flag.Replace || attempt.FailureCode is null))
            {
                attempt.FailureCode = code;
            }
        }
        attempt.UpdatedAt = now;
    }
}
