using Azure;
using Azure.Data.Tables;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Storage.Payments;

namespace SnipcartGateway.Storage.Support;

/// <summary>
/// How support finds payments by what the merchant has in hand: Snipcart's session id, the invoice number, the cart id
/// (targetId). Rows are insert-only (PK kind + encoded value, RK payment ref), written when an attempt is recorded.
/// Attempts older than the index are found by a bounded scan (<see cref="ScanAsync"/>) and indexed when found
/// (migrate on read), so each is scanned for once.
/// </summary>
public sealed class PaymentLookupIndex(PaymentTables tables) : IAttemptIndex
{
    public const string Session = "s_";
    public const string Invoice = "i_";
    public const string Cart = "t_";

    /// <summary>At most this many attempts are read by one fallback scan (a few pages of the table).</summary>
    public const int MaxScannedAttempts = 5_000;

    /// <summary>The index rows an attempt has (kind, value).</summary>
    public static IEnumerable<(string Kind, string Value)> KeysOf(PaymentAttempt attempt)
    {
        yield return (Session, attempt.SessionId);
        var invoice = TryReadInvoice(attempt.InvoiceJson);
        if (!string.IsNullOrWhiteSpace(invoice?.InvoiceNumber))
        {
            yield return (Invoice, invoice.InvoiceNumber);
        }
        if (!string.IsNullOrWhiteSpace(invoice?.TargetId))
        {
            yield return (Cart, invoice.TargetId);
        }
    }

    /// <summary>Writes the attempt's rows; a row already there is kept as it is (insert-only).</summary>
    public async Task IndexAsync(PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        foreach (var (kind, value) in KeysOf(attempt))
        {
            if (!StorageKeys.Fits(value))
            {
                continue;
            }
            try
            {
                await tables.Lookups.AddEntityAsync(new TableEntity(kind + StorageKeys.ForExternalId(value), attempt.PaymentRef)
                {
                    ["Value"] = value,
                    ["CreatedAt"] = attempt.CreatedAt,
                }, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Already indexed (a retry, or migrate-on-read racing the checkout): rows never change.
            }
        }
    }

    /// <summary>The payment refs indexed under <paramref name="value"/> for <paramref name="kind"/>.</summary>
    public async Task<IReadOnlyList<string>> FindAsync(string kind, string value, CancellationToken cancellationToken)
    {
        if (!StorageKeys.Fits(value))
        {
            return [];
        }
        await tables.EnsureCreatedAsync(cancellationToken);
        var refs = new List<string>();
        var partition = kind + StorageKeys.ForExternalId(value);
        await foreach (var row in tables.Lookups.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            refs.Add(row.RowKey);
        }
        return refs;
    }

    /// <summary>
    /// The fallback for attempts recorded before the index: reads at most <see cref="MaxScannedAttempts"/> attempts
    /// (session id compared by the table service, the invoice's fields here) and indexes what it finds. Null when
    /// the scan stopped at its bound with more left unread: "not found" would not be true.
    /// </summary>
    public async Task<IReadOnlyList<string>?> ScanAsync(string value, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var found = new List<string>();
        var read = 0;
        var query = tables.Attempts.QueryAsync<TableEntity>(cancellationToken: cancellationToken);
        await foreach (var page in query.AsPages(pageSizeHint: 1000))
        {
            foreach (var entity in page.Values)
            {
                var attempt = AttemptEntityMapper.FromEntity(entity);
                if (KeysOf(attempt).Any(k => k.Value == value))
                {
                    found.Add(attempt.PaymentRef);
                    await IndexAsync(attempt, cancellationToken);
                }
            }
            read += page.Values.Count;
            if (page.ContinuationToken is not null && read >= MaxScannedAttempts)
            {
                return found.Count > 0 ? found : null;
            }
        }
        return found;
    }

    /// <summary>Removes an attempt's rows (retention).</summary>
    public async Task ForgetAsync(PaymentAttempt attempt, CancellationToken cancellationToken)
    {
        foreach (var (kind, value) in KeysOf(attempt).Where(k => StorageKeys.Fits(k.Value)))
        {
            try
            {
                await tables.Lookups.DeleteEntityAsync(kind + StorageKeys.ForExternalId(value), attempt.PaymentRef, ETag.All, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
            }
        }
    }

    private static Snipcart.SnipcartInvoice? TryReadInvoice(string json)
    {
        try
        {
            return InvoiceSnapshot.Deserialize(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
