using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Storage.Payments;

/// <summary>
/// <see cref="IPaymentStore"/> on Azure Table Storage through Azure.Data.Tables. Versions are the entities' ETags;
/// every snapshot is written in Replace mode so properties that became null do not linger.
/// </summary>
/// <remarks>
/// The SDK retries on its own. When a conditional write succeeded but its response was lost, the retry is refused
/// (412 for an update, 409 for an insert) although our write is the one stored. So a 409/412 is never a verdict by
/// itself: the store re-reads the entity and reports success when it holds exactly what we wrote, and a
/// <see cref="ConcurrencyConflictException"/> otherwise. A concurrent writer that wrote the very same snapshot from
/// the same version also counts as success; its result is indistinguishable from ours.
/// </remarks>
public sealed class TablePaymentStore(PaymentTables tables) : IPaymentStore
{
    private const string SessionRowKey = "session";
    private const string UnsettledPartition = "unsettled";
    private const string OpenRefundsPartition = "open";

    public async Task<string> AddAttemptAsync(PaymentAttempt attempt, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        // The unsettled row goes first: a crash between the two writes leaves a row pointing nowhere (which
        // reconciliation drops), never an attempt that reconciliation cannot see.
        await MarkUnsettledAsync(attempt.PaymentRef, cancellationToken);
        var etag = await AddAsync(tables.Attempts, AttemptEntityMapper.ToEntity(attempt), attempt.PaymentRef, cancellationToken);
        return etag.ToString();
    }

    public async Task<Versioned<PaymentAttempt>?> GetAttemptAsync(string paymentRef, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var entity = await GetAsync(tables.Attempts, paymentRef, AttemptEntityMapper.RowKey, cancellationToken);
        return entity is null ? null : new Versioned<PaymentAttempt>(AttemptEntityMapper.FromEntity(entity), entity.ETag.ToString());
    }

    public async Task<string> UpdateAttemptAsync(PaymentAttempt attempt, string version, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        // Read before the write: if the row changes after it (a late payment listing the attempt again), the
        // conditional delete below fails and the row stays.
        var listed = attempt.IsSettled
            ? await GetAsync(tables.Unsettled, UnsettledPartition, attempt.PaymentRef, cancellationToken)
            : null;
        var etag = await UpdateAsync(tables.Attempts, AttemptEntityMapper.ToEntity(attempt), version, attempt.PaymentRef, cancellationToken);
        if (listed is not null)
        {
            try
            {
                await tables.Unsettled.DeleteEntityAsync(UnsettledPartition, attempt.PaymentRef, listed.ETag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                // Listed again meanwhile (412), or already gone (404, also what a retried delete can see): either way
                // the row is what it should be.
            }
        }
        return etag.ToString();
    }

    public async IAsyncEnumerable<UnsettledEntry> ListUnsettledAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var rows = tables.Unsettled.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {UnsettledPartition}"),
            select: ["RowKey", "Timestamp"],
            cancellationToken: cancellationToken);
        // The pageable follows continuation tokens itself (1,000 entities a page at most).
        await foreach (var row in rows)
        {
            yield return new UnsettledEntry(row.RowKey, row.Timestamp ?? DateTimeOffset.MinValue);
        }
    }

    public async Task MarkUnsettledAsync(string paymentRef, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        await tables.Unsettled.UpsertEntityAsync(new TableEntity(UnsettledPartition, paymentRef), TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>Drops an unsettled row that has no attempt behind it (a crash between the two writes).</summary>
    public async Task ForgetUnsettledAsync(string paymentRef, CancellationToken cancellationToken = default)
    {
        try
        {
            await tables.Unsettled.DeleteEntityAsync(UnsettledPartition, paymentRef, ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: the goal of the call.
        }
    }

    public async Task<Versioned<PaymentSessionRecord>> GetOrAddSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var key = StorageKeys.ForExternalId(sessionId);
        for (var attempt = 0; ; attempt++)
        {
            if (await FindSessionAsync(sessionId, cancellationToken) is { } found)
            {
                return found;
            }
            try
            {
                var fresh = new TableEntity(key, SessionRowKey) { ["SessionId"] = sessionId };
                var response = await tables.Sessions.AddEntityAsync(fresh, cancellationToken);
                return new Versioned<PaymentSessionRecord>(new PaymentSessionRecord { SessionId = sessionId }, NewETag(response).ToString());
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && attempt < 3)
            {
                // Someone created it between our read and our insert (or the SDK's retry of our own insert was
                // refused): read what is there.
            }
        }
    }

    public async Task<Versioned<PaymentSessionRecord>?> FindSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var entity = await GetAsync(tables.Sessions, StorageKeys.ForExternalId(sessionId), SessionRowKey, cancellationToken);
        return entity is null
            ? null
            : new Versioned<PaymentSessionRecord>(
                new PaymentSessionRecord
                {
                    SessionId = sessionId,
                    ProcessedPaymentRef = entity.GetString("ProcessedPaymentRef"),
                    ConfirmingPaymentRef = entity.GetString("ConfirmingPaymentRef"),
                    ConfirmingUntil = entity.GetDateTimeOffset("ConfirmingUntil"),
                    InFlightPaymentRef = entity.GetString("InFlightPaymentRef"),
                    InFlightSince = entity.GetDateTimeOffset("InFlightSince"),
                },
                entity.ETag.ToString());
    }

    public async Task<string> UpdateSessionAsync(PaymentSessionRecord session, string version, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var entity = new TableEntity(StorageKeys.ForExternalId(session.SessionId), SessionRowKey) { ["SessionId"] = session.SessionId };
        if (session.ProcessedPaymentRef is not null)
        {
            entity["ProcessedPaymentRef"] = session.ProcessedPaymentRef;
        }
        if (session.ConfirmingPaymentRef is not null)
        {
            entity["ConfirmingPaymentRef"] = session.ConfirmingPaymentRef;
            entity["ConfirmingUntil"] = session.ConfirmingUntil;
        }
        if (session.InFlightPaymentRef is not null)
        {
            entity["InFlightPaymentRef"] = session.InFlightPaymentRef;
            entity["InFlightSince"] = session.InFlightSince;
        }
        var etag = await UpdateAsync(tables.Sessions, entity, version, session.SessionId, cancellationToken);
        return etag.ToString();
    }

    public async Task AddRefundAsync(RefundRecord refund, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        await tables.OpenRefunds.UpsertEntityAsync(
            new TableEntity(OpenRefundsPartition, OpenRefundKey(refund.PaymentRef, refund.RefundId))
            {
                ["PaymentRef"] = refund.PaymentRef,
                ["RefundId"] = refund.RefundId,
            },
            TableUpdateMode.Replace, cancellationToken);
        await AddAsync(tables.Refunds, RefundEntityMapper.ToEntity(refund), refund.RefundId, cancellationToken);
    }

    public async IAsyncEnumerable<OpenRefundEntry> ListOpenRefundsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var rows = tables.OpenRefunds.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {OpenRefundsPartition}"),
            select: ["PaymentRef", "RefundId", "Timestamp"],
            cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            if (row.GetString("PaymentRef") is { } paymentRef && row.GetString("RefundId") is { } refundId)
            {
                yield return new OpenRefundEntry(paymentRef, refundId, row.Timestamp ?? DateTimeOffset.MinValue);
            }
        }
    }

    public async Task ForgetOpenRefundAsync(string paymentRef, string refundId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        try
        {
            await tables.OpenRefunds.DeleteEntityAsync(OpenRefundsPartition, OpenRefundKey(paymentRef, refundId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: the goal of the call.
        }
    }

    private static string OpenRefundKey(string paymentRef, string refundId) => paymentRef + "." + refundId;

    public async Task<Versioned<RefundRecord>?> GetRefundAsync(string paymentRef, string refundId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var entity = await GetAsync(tables.Refunds, paymentRef, refundId, cancellationToken);
        return entity is null ? null : new Versioned<RefundRecord>(RefundEntityMapper.FromEntity(entity), entity.ETag.ToString());
    }

    public async Task<string> UpdateRefundAsync(RefundRecord refund, string version, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var etag = await UpdateAsync(tables.Refunds, RefundEntityMapper.ToEntity(refund), version, refund.RefundId, cancellationToken);
        return etag.ToString();
    }

    public async Task<IReadOnlyList<RefundRecord>> ListRefundsAsync(string paymentRef, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<RefundRecord>();
        await foreach (var e in tables.Refunds.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {paymentRef}"), cancellationToken: cancellationToken))
        {
            list.Add(RefundEntityMapper.FromEntity(e));
        }
        return list;
    }

    public async Task IndexProviderPaymentIdAsync(string providerId, string providerPaymentId, string paymentRef, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(providerPaymentId) || !StorageKeys.Fits(providerPaymentId) || !StorageKeys.Fits(providerId))
        {
            throw new ArgumentException($"A {providerId} payment id of {providerPaymentId?.Length} characters cannot be a table key.", nameof(providerPaymentId));
        }
        await EnsureTablesAsync(cancellationToken);
        var entity = new TableEntity(StorageKeys.ForExternalId(providerId.ToLowerInvariant()), StorageKeys.ForExternalId(providerPaymentId))
        {
            ["PaymentRef"] = paymentRef,
            ["ProviderPaymentId"] = providerPaymentId,
        };
        // Insert-only: a provider id once mapped to a payment is never re-pointed at another. The same mapping again
        // (a retry) matches what is stored and counts as success.
        await AddAsync(tables.ProviderPaymentIds, entity, $"{providerId}/{providerPaymentId}", cancellationToken);
    }

    public async Task<string?> FindPaymentRefAsync(string providerId, string providerPaymentId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(providerPaymentId) || !StorageKeys.Fits(providerPaymentId) || !StorageKeys.Fits(providerId))
        {
            // No key this long was ever written.
            return null;
        }
        await EnsureTablesAsync(cancellationToken);
        var entity = await GetAsync(tables.ProviderPaymentIds, StorageKeys.ForExternalId(providerId.ToLowerInvariant()), StorageKeys.ForExternalId(providerPaymentId), cancellationToken);
        return entity?.GetString("PaymentRef");
    }

    private static async Task<TableEntity?> GetAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Inserts; on 409 re-reads and decides (see the class remarks).</summary>
    private static async Task<ETag> AddAsync(TableClient table, TableEntity entity, string what, CancellationToken cancellationToken)
    {
        try
        {
            return NewETag(await table.AddEntityAsync(entity, cancellationToken));
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return await ReReadAndDecideAsync(table, entity, what, ex, cancellationToken);
        }
    }

    /// <summary>Replaces if the stored ETag is still <paramref name="version"/>; on 412 re-reads and decides.</summary>
    private static async Task<ETag> UpdateAsync(TableClient table, TableEntity entity, string version, string what, CancellationToken cancellationToken)
    {
        try
        {
            return NewETag(await table.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken));
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return await ReReadAndDecideAsync(table, entity, what, ex, cancellationToken);
        }
    }

    private static async Task<ETag> ReReadAndDecideAsync(TableClient table, TableEntity written, string what, RequestFailedException refused, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(table, written.PartitionKey, written.RowKey, cancellationToken);
        if (stored is not null && EntityContent.Matches(written, stored))
        {
            return stored.ETag;
        }
        throw new ConcurrencyConflictException($"'{what}' was changed or created by someone else ({refused.ErrorCode}).", refused);
    }

    private static ETag NewETag(Response response) =>
        response.Headers.ETag ?? throw new InvalidOperationException("The table service answered a write without an ETag.");

    private Task EnsureTablesAsync(CancellationToken cancellationToken) => tables.EnsureCreatedAsync(cancellationToken);
}
