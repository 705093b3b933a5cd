using System.Buffers.Text;
using System.Text;
using Azure;
using Azure.Data.Tables;
using SnipcartGateway.Storage.Payments;

namespace SnipcartGateway.Storage.Support;

/// <summary>One payment needing attention, as the attention list shows it.</summary>
public sealed record AttentionItem(
    string PaymentRef, string SessionId, string Provider, string Mode, decimal Amount, string Currency, string Status,
    string? Reason, string? FailureMessage, string? SnipcartState, decimal RefundedAmount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AttentionPage(IReadOnlyList<AttentionItem> Items, string? Continuation);

/// <summary>Thrown for a continuation token this query never issued.</summary>
public sealed class InvalidContinuationException() : Exception("The continuation token is not valid.");

/// <summary>
/// The attempts flagged NeedsAttention, filtered by reason (their FailureCode) and creation date, a page at a time.
/// The table service filters (a scan of the attempts table, paged by its own continuation tokens, which are passed
/// through base64url-encoded); a request reads at most <see cref="MaxPagesPerRequest"/> service pages, so a sparse
/// table answers in bounded time, with a continuation token to go on.
/// </summary>
public sealed class AttentionQuery(PaymentTables tables)
{
    public const int PageSize = 50;
    public const int MaxPagesPerRequest = 10;

    private static readonly string[] Columns =
        ["PartitionKey", "SessionId", "ProviderId", "Mode", "Amount", "Currency", "Status", "FailureCode", "FailureMessage", "ConfirmedState", "RefundedAmount", "CreatedAt", "UpdatedAt"];

    public async Task<AttentionPage> ListAsync(string? reason, DateTimeOffset? since, string? continuation, CancellationToken cancellationToken)
    {
        await tables.EnsureCreatedAsync(cancellationToken);
        var filter = "NeedsAttention eq true";
        if (reason is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"FailureCode eq {reason}");
        }
        if (since is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"CreatedAt ge {from}");
        }
        var token = Decode(continuation);
        var items = new List<AttentionItem>();
        var pages = 0;
        try
        {
            await foreach (var page in tables.Attempts.QueryAsync<TableEntity>(filter, PageSize, Columns, cancellationToken).AsPages(token, PageSize))
            {
                items.AddRange(page.Values.Select(ToItem));
                token = page.ContinuationToken;
                if (items.Count > 0 || ++pages >= MaxPagesPerRequest)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException ex) when (continuation is not null && ex.Status == 400)
        {
            throw new InvalidContinuationException();
        }
        return new AttentionPage(items, Encode(token));
    }

    private static AttentionItem ToItem(TableEntity e) => new(
        e.PartitionKey, e.GetString("SessionId") ?? "", e.GetString("ProviderId") ?? "", e.GetString("Mode") ?? "",
        e.GetString("Amount") is { } a ? AttemptEntityMapper.ParseDec(a) : 0m, e.GetString("Currency") ?? "", e.GetString("Status") ?? "",
        e.GetString("FailureCode"), e.GetString("FailureMessage"), e.GetString("ConfirmedState"),
        e.GetString("RefundedAmount") is { } r ? AttemptEntityMapper.ParseDec(r) : 0m,
        e.GetDateTimeOffset("CreatedAt") ?? default, e.GetDateTimeOffset("UpdatedAt") ?? default);

    private static string? Encode(string? token) =>
        token is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token));

    private static string? Decode(string? continuation)
    {
        if (continuation is null)
        {
            return null;
        }
        try
        {
            var token = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(continuation));
            // The SDK's token holds the next partition and row keys; anything else is refused before it reaches the service.
            if (token.Length is 0 or > 2048 || token.Any(char.IsControl))
            {
                throw new InvalidContinuationException();
            }
            return token;
        }
        catch (FormatException)
        {
            throw new InvalidContinuationException();
        }
    }
}
