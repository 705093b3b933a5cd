using SnipcartGateway.Domain;
using Azure.Data.Tables;
using static SnipcartGateway.Storage.Payments.AttemptEntityMapper;

namespace SnipcartGateway.Storage.Payments;

internal static class RefundEntityMapper
{
    public static TableEntity ToEntity(RefundRecord r)
    {
        var e = new TableEntity(r.PaymentRef, r.RefundId)
        {
            ["Amount"] = Dec(r.Amount.Amount),
            ["Currency"] = r.Amount.Currency,
            ["RequestedAt"] = r.RequestedAt,
            ["UpdatedAt"] = r.UpdatedAt,
            ["State"] = r.State.ToString(),
        };
        if (r.ProviderRefundId is not null)
        {
            e["ProviderRefundId"] = r.ProviderRefundId;
        }
        if (r.FailureMessage is not null)
        {
            e["FailureMessage"] = r.FailureMessage;
        }
        e["FollowUpChecks"] = r.FollowUpChecks;
        e["NeedsAttention"] = r.NeedsAttention;
        Set(e, "NextCheckAt", r.NextCheckAt);
        Set(e, "Resolution", r.Resolution?.ToString());
        Set(e, "ResolvedBy", r.ResolvedBy);
        Set(e, "ResolvedAt", r.ResolvedAt);
        Set(e, "ResolutionNote", r.ResolutionNote);
        return e;
    }

    public static RefundRecord FromEntity(TableEntity e) => new()
    {
        PaymentRef = e.PartitionKey,
        RefundId = e.RowKey,
        Amount = new Money(ParseDec(Required(e, "Amount")), Required(e, "Currency")),
        RequestedAt = e.GetDateTimeOffset("RequestedAt") ?? default,
        UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
        State = Enum.Parse<RefundState>(Required(e, "State")),
        ProviderRefundId = e.GetString("ProviderRefundId"),
        FailureMessage = e.GetString("FailureMessage"),
        FollowUpChecks = e.GetInt32("FollowUpChecks") ?? 0,
        NeedsAttention = e.GetBoolean("NeedsAttention") ?? false,
        NextCheckAt = e.GetDateTimeOffset("NextCheckAt"),
        Resolution = e.GetString("Resolution") is { } resolution ? Enum.Parse<ManualRefundOutcome>(resolution) : null,
        ResolvedBy = e.GetString("ResolvedBy"),
        ResolvedAt = e.GetDateTimeOffset("ResolvedAt"),
        ResolutionNote = e.GetString("ResolutionNote"),
    };

    /// <summary>Null properties are not stored (replace-mode writes drop them).</summary>
    private static void Set(TableEntity e, string name, object? value)
    {
        if (value is not null)
        {
            e[name] = value;
        }
    }
}
