using SnipcartGateway.Domain;

namespace SnipcartGateway.Payments;

/// <summary>
/// Flags an attempt for the merchant (NeedsAttention, with the reason as its FailureCode when it has none yet) and
/// gives back refund reservations: small conditional writes on the attempt, retried on a lost race.
/// </summary>
public sealed class AttentionFlagger(IPaymentStore store, TimeProvider time)
{
    /// <summary>Flags the attempt; false when it does not exist.</summary>
    public Task<bool> FlagAsync(string paymentRef, string reason, CancellationToken cancellationToken) =>
        ChangeAttemptAsync(paymentRef, attempt =>
        {
            var changed = !attempt.NeedsAttention || attempt.FailureCode is null;
            attempt.NeedsAttention = true;
            attempt.FailureCode ??= reason;
            return changed;
        }, cancellationToken);

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
