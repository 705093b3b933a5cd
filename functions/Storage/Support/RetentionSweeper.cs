using Azure;
using Azure.Data.Tables;
using SnipcartGateway.Domain;
using SnipcartGateway.Storage.Payments;

namespace SnipcartGateway.Storage.Support;

/// <summary>What one retention run deleted, and what it kept of what was old enough.</summary>
public sealed record RetentionReport(int Deleted, int Kept, int Sessions)
{
    public string ToLogLine() => $"Retention deleted {Deleted} payment(s) and {Sessions} session(s); kept {Kept} old payment(s) that are unsettled, flagged or have a refund under way.";
}

/// <summary>
/// Deletes payments older than the retention period, in bounded batches: at most <c>batchSize</c> old attempts are
/// read per run (the table service filters on CreatedAt, Settled and NeedsAttention), and each is checked again before
/// anything goes: settled, not flagged, no refund open, flagged or still to be made by hand. Its refunds, support
/// actions and index rows go first and the attempt last, with its ETag, so a crash or a change meanwhile leaves the
/// attempt to be looked at again. A session goes once none of its attempts is left.
/// </summary>
public sealed class RetentionSweeper(PaymentTables tables, IPaymentStore store, PaymentLookupIndex index, SupportActionLog actions)
{
    public async Task<RetentionReport> SweepAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = TableClient.CreateQueryFilter($"CreatedAt lt {cutoff} and Settled eq true and NeedsAttention eq false");
        var candidates = new List<string>();
        await foreach (var page in tables.Attempts.QueryAsync<TableEntity>(filter, batchSize, ["PartitionKey"], cancellationToken).AsPages(pageSizeHint: batchSize))
        {
            candidates.AddRange(page.Values.Select(e => e.PartitionKey));
            break;
        }
        int deleted = 0, kept = 0, sessions = 0;
        foreach (var paymentRef in candidates.Take(batchSize))
        {
            var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (read is null)
            {
                continue;
            }
            var refunds = await store.ListRefundsAsync(paymentRef, cancellationToken);
            if (!MayDelete(read.Value, refunds, cutoff))
            {
                kept++;
                continue;
            }
            if (!await DeleteAsync(read, refunds, cancellationToken))
            {
                kept++;
                continue;
            }
            deleted++;
            sessions += await DeleteSessionIfEmptyAsync(read.Value.SessionId, cancellationToken) ? 1 : 0;
        }
        return new RetentionReport(deleted, kept, sessions);
    }

    /// <summary>The rule, in one place: old, settled, nothing flagged, no refund whose outcome is still open.</summary>
    public static bool MayDelete(PaymentAttempt attempt, IReadOnlyList<RefundRecord> refunds, DateTimeOffset cutoff) =>
        attempt.CreatedAt < cutoff
        && attempt.IsSettled
        && !attempt.NeedsAttention
        && attempt.ClaimId is null
        && refunds.All(r => r.State is RefundState.Succeeded or RefundState.Failed && !r.NeedsAttention);

    private async Task<bool> DeleteAsync(Versioned<PaymentAttempt> read, IReadOnlyList<RefundRecord> refunds, CancellationToken cancellationToken)
    {
        var attempt = read.Value;
        foreach (var refund in refunds)
        {
            await DeleteIfThereAsync(tables.Refunds, attempt.PaymentRef, refund.RefundId, ETag.All, cancellationToken);
            await store.ForgetOpenRefundAsync(attempt.PaymentRef, refund.RefundId, cancellationToken);
        }
        await actions.ForgetAsync(attempt.PaymentRef, cancellationToken);
        await index.ForgetAsync(attempt, cancellationToken);
        if (attempt.ProviderPaymentId is { } providerPaymentId && StorageKeys.Fits(providerPaymentId))
        {
            await DeleteIfThereAsync(tables.ProviderPaymentIds, StorageKeys.ForExternalId(attempt.ProviderId.ToLowerInvariant()), StorageKeys.ForExternalId(providerPaymentId), ETag.All, cancellationToken);
        }
        try
        {
            await tables.Attempts.DeleteEntityAsync(attempt.PaymentRef, AttemptEntityMapper.RowKey, new ETag(read.Version), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Changed meanwhile (a late notification, a support action): kept, and checked again next time. Its index
            // rows are written again when support finds it.
            return ex.Status == 404;
        }
    }

    /// <summary>Deletes the session once no attempt of it is indexed, nor found by a bounded look at the attempts.</summary>
    private async Task<bool> DeleteSessionIfEmptyAsync(string sessionId, CancellationToken cancellationToken)
    {
        if ((await index.FindAsync(PaymentLookupIndex.Session, sessionId, cancellationToken)).Count > 0)
        {
            return false;
        }
        var filter = TableClient.CreateQueryFilter($"SessionId eq {sessionId}");
        var pages = 0;
        await foreach (var page in tables.Attempts.QueryAsync<TableEntity>(filter, 1, ["PartitionKey"], cancellationToken).AsPages(pageSizeHint: 1))
        {
            if (page.Values.Count > 0 || ++pages >= 5 && page.ContinuationToken is not null)
            {
                // Another attempt still exists (or the look was cut short): keep the session.
                return false;
            }
        }
        return await DeleteIfThereAsync(tables.Sessions, StorageKeys.ForExternalId(sessionId), "session", ETag.All, cancellationToken);
    }

    private static async Task<bool> DeleteIfThereAsync(TableClient table, string partitionKey, string rowKey, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, etag, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }
}
