using System.Runtime.CompilerServices;
using Azure;
using SnipcartGateway.Domain;
using SnipcartGateway.Storage.Tables;

namespace SnipcartGateway.Storage.Payments;

/// <summary><see cref="IPaymentStore"/> on Azure Table Storage. Versions are the entities' ETags.</summary>
public sealed class TablePaymentStore(PaymentTables tables) : IPaymentStore
{
    private const string SessionRowKey = "session";
    private const string UnsettledPartition = "unsettled";

    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _created;

    public async Task<string> AddAttemptAsync(PaymentAttempt attempt, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        // The unsettled row goes first: a crash between the two writes leaves a row pointing nowhere (which
        // reconciliation drops), never an attempt that reconciliation cannot see.
        await tables.Unsettled.UpsertEntityAsync(new TableEntity(UnsettledPartition, attempt.PaymentRef), TableUpdateMode.Replace, cancellationToken);
        var etag = await Conditional(() => tables.Attempts.AddEntityAsync(AttemptEntityMapper.ToEntity(attempt), cancellationToken), attempt.PaymentRef);
        return etag.ToString();
    }

    public async Task<Versioned<PaymentAttempt>?> GetAttemptAsync(string paymentRef, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var entity = await tables.Attempts.GetEntityIfExistsAsync(paymentRef, AttemptEntityMapper.RowKey, cancellationToken);
        return entity is null ? null : new Versioned<PaymentAttempt>(AttemptEntityMapper.FromEntity(entity), entity.ETag.ToString());
    }

    public async Task<string> UpdateAttemptAsync(PaymentAttempt attempt, string version, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        // Read before the write: if the row changes after it (a late payment listing the attempt again), the
        // conditional delete below fails and the row stays.
        var listed = attempt.IsSettled
            ? await tables.Unsettled.GetEntityIfExistsAsync(UnsettledPartition, attempt.PaymentRef, cancellationToken)
            : null;
        var etag = await Conditional(
            () => tables.Attempts.UpdateEntityAsync(AttemptEntityMapper.ToEntity(attempt), new ETag(version), TableUpdateMode.Replace, cancellationToken),
            attempt.PaymentRef);
        if (listed is not null)
        {
            try
            {
                await tables.Unsettled.DeleteEntityAsync(UnsettledPartition, attempt.PaymentRef, listed.ETag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
            }
        }
        return etag.ToString();
    }

    public async IAsyncEnumerable<UnsettledEntry> ListUnsettledAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        await foreach (var row in tables.Unsettled.QueryAsync(TableFilter.Equal(TableEntity.PartitionKeyName, UnsettledPartition), select: [TableEntity.RowKeyName, TableEntity.TimestampName], cancellationToken: cancellationToken))
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
    public async Task ForgetUnsettledAsync(string paymentRef, CancellationToken cancellationToken = default) =>
        await tables.Unsettled.DeleteEntityAsync(UnsettledPartition, paymentRef, ETag.All, cancellationToken);

    public async Task<Versioned<PaymentSessionRecord>> GetOrAddSessionAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var key = StorageKeys.ForExternalId(sessionId);
        for (var attempt = 0; ; attempt++)
        {
            var entity = await tables.Sessions.GetEntityIfExistsAsync(key, SessionRowKey, cancellationToken);
            if (entity is not null)
            {
                return new Versioned<PaymentSessionRecord>(
                    new PaymentSessionRecord
                    {
                        SessionId = sessionId,
                        ProcessedPaymentRef = entity.GetString("ProcessedPaymentRef"),
                        ConfirmingPaymentRef = entity.GetString("ConfirmingPaymentRef"),
                        ConfirmingUntil = entity.GetDateTimeOffset("ConfirmingUntil"),
                    },
                    entity.ETag.ToString());
            }
            try
            {
                var fresh = new TableEntity(key, SessionRowKey) { ["SessionId"] = sessionId };
                var etag = await tables.Sessions.AddEntityAsync(fresh, cancellationToken);
                return new Versioned<PaymentSessionRecord>(new PaymentSessionRecord { SessionId = sessionId }, etag.ToString());
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && attempt < 3)
            {
                // Someone created it between our read and our insert: read theirs.
            }
        }
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
        var etag = await Conditional(() => tables.Sessions.UpdateEntityAsync(entity, new ETag(version), TableUpdateMode.Replace, cancellationToken), session.SessionId);
        return etag.ToString();
    }

    public async Task AddRefundAsync(RefundRecord refund, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        await Conditional(() => tables.Refunds.AddEntityAsync(RefundEntityMapper.ToEntity(refund), cancellationToken), refund.RefundId);
    }

    public async Task<Versioned<RefundRecord>?> GetRefundAsync(string paymentRef, string refundId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var entity = await tables.Refunds.GetEntityIfExistsAsync(paymentRef, refundId, cancellationToken);
        return entity is null ? null : new Versioned<RefundRecord>(RefundEntityMapper.FromEntity(entity), entity.ETag.ToString());
    }

    public async Task<string> UpdateRefundAsync(RefundRecord refund, string version, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var etag = await Conditional(
            () => tables.Refunds.UpdateEntityAsync(RefundEntityMapper.ToEntity(refund), new ETag(version), TableUpdateMode.Replace, cancellationToken),
            refund.RefundId);
        return etag.ToString();
    }

    public async Task<IReadOnlyList<RefundRecord>> ListRefundsAsync(string paymentRef, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<RefundRecord>();
        await foreach (var e in tables.Refunds.QueryAsync(TableFilter.Equal(TableEntity.PartitionKeyName, paymentRef), cancellationToken: cancellationToken))
        {
            list.Add(RefundEntityMapper.FromEntity(e));
        }
        return list;
    }

    private static async Task<ETag> Conditional(Func<Task<ETag>> write, string what)
    {
        try
        {
            return await write();
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            throw new ConcurrencyConflictException($"'{what}' was changed or created by someone else ({ex.ErrorCode}).", ex);
        }
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                foreach (var table in tables.All)
                {
                    await table.CreateIfNotExistsAsync(cancellationToken);
                }
                _created = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }
}
