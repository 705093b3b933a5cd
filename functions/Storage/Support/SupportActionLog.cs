using System.Globalization;
using Azure;
using Azure.Data.Tables;
using SnipcartGateway.Storage.Payments;

namespace SnipcartGateway.Storage.Support;

/// <summary>One thing support did to a payment: what, who (the key's name, or what is known of the key), when, the
/// note, and what came of it.</summary>
public sealed record SupportActionRecord(string PaymentRef, string Action, string By, DateTimeOffset At, string? Note, string Result, string? RefundId = null);

/// <summary>The support actions of each payment (PK payment ref, RK inverted ticks: newest first).</summary>
public sealed class SupportActionLog(PaymentTables tables)
{
    public async Task AddAsync(SupportActionRecord action, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var rowKey = (DateTimeOffset.MaxValue.UtcTicks - action.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..8];
        var entity = new TableEntity(action.PaymentRef, rowKey)
        {
            ["Action"] = action.Action,
            ["By"] = action.By,
            ["At"] = action.At,
            ["Result"] = action.Result,
        };
        if (action.Note is not null)
        {
            entity["Note"] = action.Note;
        }
        if (action.RefundId is not null)
        {
            entity["RefundId"] = action.RefundId;
        }
        await tables.SupportActions.AddEntityAsync(entity, cancellationToken);
    }

    public async Task<IReadOnlyList<SupportActionRecord>> ListAsync(string paymentRef, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var list = new List<SupportActionRecord>();
        await foreach (var e in tables.SupportActions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {paymentRef}"), cancellationToken: cancellationToken))
        {
            list.Add(new SupportActionRecord(paymentRef, e.GetString("Action") ?? "", e.GetString("By") ?? "", e.GetDateTimeOffset("At") ?? default,
                e.GetString("Note"), e.GetString("Result") ?? "", e.GetString("RefundId")));
        }
        return list;
    }

    /// <summary>Removes a payment's actions (retention).</summary>
    public async Task ForgetAsync(string paymentRef, CancellationToken cancellationToken)
    {
        await foreach (var e in tables.SupportActions.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {paymentRef}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            try
            {
                await tables.SupportActions.DeleteEntityAsync(paymentRef, e.RowKey, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
    }
}
