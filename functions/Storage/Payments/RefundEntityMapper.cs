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
    };
}
