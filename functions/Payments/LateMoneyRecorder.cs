using SnipcartGateway.Domain;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Payments;

/// <summary>
/// Money that moves after we stopped watching: a payment the provider reports paid after Snipcart was told it
/// failed, and refunds the provider reports that were not asked for through us (its dashboard). Both are
/// recorded on the attempt, flagged for the merchant and logged as errors. Snipcart is never told anything here:
/// an order it was told failed is never re-opened (the shopper may have paid another way since).
/// </summary>
public sealed class LateMoneyRecorder(IPaymentStore store, TimeProvider time, PaymentMetrics metrics, ILogger<LateMoneyRecorder> logger)
{
    public const string PaidAfterFailedCode = "paid_after_failed";
    public const string ProviderRefundPrefix = "provider-";

    /// <summary>Records what the provider now says of an attempt Snipcart was told failed. False on a lost race
    /// (re-read and call again).</summary>
    public async Task<bool> RecordPaidAfterFailedAsync(Versioned<PaymentAttempt> read, ProviderPayment seen, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        var now = time.GetUtcNow();
        if (seen.Status != PaymentStatus.Paid || attempt.Status == PaymentStatus.Paid && attempt.NeedsAttention)
        {
            return true;
        }
        logger.LogError("Payment {PaymentRef} was paid at {Provider} after Snipcart was told it failed: refund it", attempt.PaymentRef, attempt.ProviderId);
        attempt.Status = PaymentStatus.Paid;
        attempt.ProviderStatus = seen.ProviderStatus;
        attempt.PaidAt ??= now;
        attempt.FailureCode = PaidAfterFailedCode;
        attempt.NeedsAttention = true;
        attempt.UpdatedAt = now;
        if (!await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken))
        {
            return false;
        }
        metrics.RecordAttention(PaidAfterFailedCode, attempt.ProviderId);
        return true;
    }

    /// <summary>
    /// Records as one refund whatever the provider says was refunded beyond what we know of. Our
    /// <see cref="PaymentAttempt.RefundedAmount"/> counts refunds still in flight too, so one of ours the provider
    /// has not applied yet is never mistaken for a foreign one (a foreign one may be seen late instead). False on
    /// a lost race.
    /// </summary>
    public async Task<bool> RecordProviderRefundsAsync(Versioned<PaymentAttempt> read, ProviderPayment seen, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        if (seen.RefundedAmount is not { } refunded || refunded.Currency != attempt.Amount.Currency || refunded.Amount <= attempt.RefundedAmount)
        {
            return true;
        }
        var now = time.GetUtcNow();
        var unknown = refunded.Amount - attempt.RefundedAmount;
        var refund = new RefundRecord
        {
            PaymentRef = attempt.PaymentRef,
            RefundId = ProviderRefundPrefix + Guid.NewGuid().ToString("N"),
            Amount = new Money(unknown, refunded.Currency),
            RequestedAt = now,
            UpdatedAt = now,
            State = RefundState.Succeeded,
            FailureMessage = "Refunded at the provider, not through Snipcart.",
        };
        await store.AddRefundAsync(refund, cancellationToken);
        // Counted as refunded, so a later refund through Snipcart cannot exceed what is left.
        attempt.RefundedAmount += unknown;
        attempt.NeedsAttention = true;
        attempt.UpdatedAt = now;
        if (!await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken))
        {
            refund.State = RefundState.Failed;
            refund.FailureMessage = "Superseded by a concurrent check.";
            var stored = await store.GetRefundAsync(refund.PaymentRef, refund.RefundId, CancellationToken.None);
            if (stored is not null)
            {
                await store.UpdateRefundAsync(refund, stored.Version, CancellationToken.None);
            }
            return false;
        }
        metrics.RecordAttention("provider_refund", attempt.ProviderId);
        logger.LogError("{Provider} reports {Amount} refunded on {PaymentRef} that Snipcart did not ask for (a dashboard refund?): recorded as {RefundId}",
            attempt.ProviderId, refund.Amount, attempt.PaymentRef, refund.RefundId);
        return true;
    }

}
