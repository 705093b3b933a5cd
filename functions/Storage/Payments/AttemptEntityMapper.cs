using System.Globalization;
using System.Text.Json;
using SnipcartGateway.Domain;
using Azure.Data.Tables;

namespace SnipcartGateway.Storage.Payments;

/// <summary>Maps <see cref="PaymentAttempt"/> to and from its table entity. Decimals are invariant strings
/// (the service has no decimal type); the invoice snapshot is split into chunks under the 64 KiB string limit.</summary>
internal static class AttemptEntityMapper
{
    public const string RowKey = "attempt";
    private const int InvoiceChunkChars = 30_000;

    public static TableEntity ToEntity(PaymentAttempt a)
    {
        var e = new TableEntity(a.PaymentRef, RowKey)
        {
            ["SessionId"] = a.SessionId,
            ["ProviderId"] = a.ProviderId,
            ["Mode"] = a.Mode.ToString(),
            ["Amount"] = Dec(a.Amount.Amount),
            ["Currency"] = a.Amount.Currency,
            ["BackUrl"] = a.BackUrl,
            ["RefundKey"] = a.RefundKey,
            ["CreatedAt"] = a.CreatedAt,
            ["UpdatedAt"] = a.UpdatedAt,
            ["ProviderPaymentId"] = a.ProviderPaymentId,
            ["ContinueUrl"] = a.ContinueUrl,
            ["Status"] = a.Status.ToString(),
            ["ProviderStatus"] = a.ProviderStatus,
            ["TransactionId"] = a.TransactionId,
            ["FailureCode"] = a.FailureCode,
            ["FailureMessage"] = a.FailureMessage,
            ["PaidAt"] = a.PaidAt,
            ["ConfirmedState"] = a.ConfirmedState?.ToString(),
            ["ConfirmedAt"] = a.ConfirmedAt,
            ["ReturnUrl"] = a.ReturnUrl,
            ["ClaimedState"] = a.ClaimedState?.ToString(),
            ["ClaimId"] = a.ClaimId,
            ["ClaimExpiresAt"] = a.ClaimExpiresAt,
            ["ConfirmationFailures"] = a.ConfirmationFailures,
            ["LastConfirmationError"] = a.LastConfirmationError,
            ["NeedsAttention"] = a.NeedsAttention,
            ["Abandoned"] = a.Abandoned,
            ["Settled"] = a.IsSettled,
            ["RefundedAmount"] = Dec(a.RefundedAmount),
            ["LastRefundId"] = a.LastRefundId,
            ["LastRefundAmount"] = a.LastRefundAmount is { } l ? Dec(l) : null,
            ["LastRefundAt"] = a.LastRefundAt,
            ["PublicToken"] = a.PublicToken,
            ["UncertainState"] = a.UncertainState?.ToString(),
            ["NextCheckAt"] = a.NextCheckAt,
            ["ReconcileChecks"] = a.ReconcileChecks,
            // Refund ids are GUIDs: no commas inside.
            ["ReleasedRefundIds"] = JoinIds(a.ReleasedRefundIds),
            ["ReservedRefundIds"] = JoinIds(a.ReservedRefundIds),
            ["ExpiresAt"] = a.ExpiresAt,
            ["PendingChecks"] = a.PendingChecks,
            ["GiveBackRefundId"] = a.GiveBackRefundId,
            ["GiveBackReason"] = a.GiveBackReason,
            ["GiveBackState"] = a.GiveBackState?.ToString(),
            ["ReturnParameters"] = a.ReturnParameters.Count == 0 ? null : JsonSerializer.Serialize(a.ReturnParameters),
        };
        // Provider data can hold a provider's full status answer: chunked like the invoice.
        if (a.ProviderData.Count > 0)
        {
            var data = JsonSerializer.Serialize(a.ProviderData).Chunk(InvoiceChunkChars).Select(c => new string(c)).ToArray();
            e["ProviderDataChunks"] = data.Length;
            for (var i = 0; i < data.Length; i++)
            {
                e[$"ProviderData{i}"] = data[i];
            }
        }
        var chunks = a.InvoiceJson.Chunk(InvoiceChunkChars).Select(c => new string(c)).ToArray();
        e["InvoiceChunks"] = chunks.Length;
        for (var i = 0; i < chunks.Length; i++)
        {
            e[$"Invoice{i}"] = chunks[i];
        }
        // Null properties are simply not stored; replace-mode writes drop them.
        foreach (var key in e.Keys.Where(k => e[k] is null).ToList())
        {
            e.Remove(key);
        }
        return e;
    }

    public static PaymentAttempt FromEntity(TableEntity e)
    {
        var chunks = e.GetInt32("InvoiceChunks") ?? 0;
        var invoice = string.Concat(Enumerable.Range(0, chunks).Select(i => e.GetString($"Invoice{i}")));
        return new PaymentAttempt
        {
            PaymentRef = e.PartitionKey,
            SessionId = Required(e, "SessionId"),
            ProviderId = Required(e, "ProviderId"),
            Mode = Enum.Parse<PaymentMode>(Required(e, "Mode")),
            Amount = new Money(ParseDec(Required(e, "Amount")), Required(e, "Currency")),
            InvoiceJson = invoice,
            BackUrl = e.GetString("BackUrl"),
            RefundKey = Required(e, "RefundKey"),
            CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
            ProviderPaymentId = e.GetString("ProviderPaymentId"),
            ContinueUrl = e.GetString("ContinueUrl"),
            Status = Enum.Parse<PaymentStatus>(e.GetString("Status") ?? nameof(PaymentStatus.Pending)),
            ProviderStatus = e.GetString("ProviderStatus"),
            TransactionId = e.GetString("TransactionId"),
            FailureCode = e.GetString("FailureCode"),
            FailureMessage = e.GetString("FailureMessage"),
            PaidAt = e.GetDateTimeOffset("PaidAt"),
            ConfirmedState = ParseState(e.GetString("ConfirmedState")),
            ConfirmedAt = e.GetDateTimeOffset("ConfirmedAt"),
            ReturnUrl = e.GetString("ReturnUrl"),
            ClaimedState = ParseState(e.GetString("ClaimedState")),
            ClaimId = e.GetString("ClaimId"),
            ClaimExpiresAt = e.GetDateTimeOffset("ClaimExpiresAt"),
            ConfirmationFailures = e.GetInt32("ConfirmationFailures") ?? 0,
            LastConfirmationError = e.GetString("LastConfirmationError"),
            NeedsAttention = e.GetBoolean("NeedsAttention") ?? false,
            Abandoned = e.GetBoolean("Abandoned") ?? false,
            RefundedAmount = e.GetString("RefundedAmount") is { } r ? ParseDec(r) : 0m,
            LastRefundId = e.GetString("LastRefundId"),
            LastRefundAmount = e.GetString("LastRefundAmount") is { } l ? ParseDec(l) : null,
            LastRefundAt = e.GetDateTimeOffset("LastRefundAt"),
            PublicToken = e.GetString("PublicToken"),
            UncertainState = ParseState(e.GetString("UncertainState")),
            NextCheckAt = e.GetDateTimeOffset("NextCheckAt"),
            ReconcileChecks = e.GetInt32("ReconcileChecks") ?? 0,
            ReleasedRefundIds = SplitIds(e.GetString("ReleasedRefundIds")),
            ReservedRefundIds = SplitIds(e.GetString("ReservedRefundIds")),
            ExpiresAt = e.GetDateTimeOffset("ExpiresAt"),
            PendingChecks = e.GetInt32("PendingChecks") ?? 0,
            GiveBackRefundId = e.GetString("GiveBackRefundId"),
            GiveBackReason = e.GetString("GiveBackReason"),
            GiveBackState = e.GetString("GiveBackState") is { } g ? Enum.Parse<Domain.Lifecycle.GiveBackState>(g) : null,
            ReturnParameters = ReadMap(e.GetString("ReturnParameters"), StringComparer.OrdinalIgnoreCase),
            ProviderData = ReadMap(
                string.Concat(Enumerable.Range(0, e.GetInt32("ProviderDataChunks") ?? 0).Select(i => e.GetString($"ProviderData{i}"))),
                StringComparer.Ordinal),
        };
    }

    private static Dictionary<string, string> ReadMap(string? json, StringComparer comparer) =>
        string.IsNullOrEmpty(json)
            ? new Dictionary<string, string>(comparer)
            : new Dictionary<string, string>(JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [], comparer);

    private static string? JoinIds(IReadOnlyCollection<string> ids) =>
        ids.Count == 0 ? null : string.Join(',', ids.Order(StringComparer.Ordinal));

    private static HashSet<string> SplitIds(string? joined) =>
        new((joined ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);

    internal static string Dec(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    internal static decimal ParseDec(string value) => decimal.Parse(value, NumberStyles.Number, CultureInfo.InvariantCulture);

    internal static string Required(TableEntity e, string name) =>
        e.GetString(name) ?? throw new InvalidDataException($"Stored entity {e.PartitionKey}/{e.RowKey} has no {name}.");

    private static SnipcartPaymentState? ParseState(string? value) =>
        value is null ? null : Enum.Parse<SnipcartPaymentState>(value);
}
