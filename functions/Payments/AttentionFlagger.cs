using SnipcartGateway.Domain;

namespace SnipcartGateway.Payments;

/// <summary>
/// Flags an attempt for the merchant (NeedsAttention, with the reason as its FailureCode when it has none yet) and
/// gives back refund reservations: small conditional writes on the attempt, retried on a lost race. A flag raised is
/// counted on <c>payments.attention</c> once, when the write that raised it lands.
/// </summary>
public sealed class AttentionFlagger(IPaymentStore store, TimeProvider time, PaymentMetrics metrics)
{
    /// <summary>Flags the attempt; false when it does not exist.</summary>
    public async Task<bool> FlagAsync(string paymentRef, string reason, CancellationToken cancellationToken)
    {
        // Set by the try whose write landed (each lost race runs the change again on what the other wrote).
        string? raisedFor = null;
        var found = await ChangeAttemptAsync(paymentRef, attempt =>
        {
            raisedFor = attempt.NeedsAttention ? null : attempt.ProviderId;
            var changed = !attempt.NeedsAttention || attempt.FailureCode is null;
            attempt.NeedsAttention = true;
            attempt.FailureCode ??= reason;
            return changed;
        }, cancellationToken);
        if (found && raisedFor is not null)
        {
            metrics.RecordAttention(reason, raisedFor);
        }
        return found;
    }

    /// <summary>Gives back a refund's reservation once, and only if this attempt reserved it (a record that lost the
    /// reservation race never counted).</summary>
    public Task<bool> ReleaseAsync(string paymentRef, RefundRecord refund, CancellationToken cancellationToken) =>
        ChangeAttemptAsync(paymentRef, attempt =>
            attempt.ReservedRefundIds.Contains(refund.RefundId)
            && attempt.ReleaseRefund(refund.RefundId, refund.Amount.Amount, time.GetUtcNow()), cancellationToken);

    /// <summary>Applies <paramref name="change"/> (which says whether it changed anything) under the attempt's ETag.</summary>
    public async Task<bool> ChangeAttemptAsync(string paymentRef, Func<PaymentAttempt, bool> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (read is null)
            {
                return false;
            }
            if (!change(read.Value))
            {
                return true;
            }
            read.Value.UpdatedAt = time.GetUtcNow();
            if (await store.TryUpdateAttemptAsync(read.Value, read.Version, cancellationToken))
            {
                return true;
            }
        }
    }
}
