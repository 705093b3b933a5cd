using System.Text.Json;
using System.Text.Json.Serialization;

namespace SnipcartGateway.Providers.JpmSmartPay;

// SmartPay's JSON, as its docs show it (create-checkout-api, get-payment-status-api, modification-apis,
// response-model-and-error-handling). Read tolerantly: names without case, unknown members ignored.

/// <summary>POST /payment/creation.</summary>
internal sealed record JpmCheckoutBody
{
    public required string MerchantKey { get; init; }
    public required string PartnerReference { get; init; }
    public required JpmPaymentBody Payment { get; init; }
    public JpmConsumer? Consumer { get; init; }
    public required JpmAddress BillingAddress { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JpmAddress? ShippingAddress { get; init; }
}

/// <summary>amount: decimal 18.2 in major units, always written with two decimals.</summary>
internal sealed record JpmPaymentBody(decimal Amount, string CurrencyCode, string Description);

internal sealed record JpmConsumer(string? FirstName, string? LastName, string? EmailAddress);

internal sealed record JpmAddress
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? AddressLine1 { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Number { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? City { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PostCode { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CountryCode { get; init; }
}

internal sealed record JpmCheckoutCreated(string? TransactionId, string? CheckoutToken, string? PaymentStatus, string? RequestTime);

/// <summary>GET /payment/status/{transactionId}, and the unified answer of the modification APIs.</summary>
internal sealed record JpmTransaction
{
    public string? TransactionId { get; init; }
    public string? PartnerReference { get; init; }
    public string? ReconciliationReferenceId { get; init; }
    public string? Description { get; init; }
    public string? PaymentStatus { get; init; }
    public string? CreationDate { get; init; }
    public string? LastStatusDate { get; init; }
    public JpmTransactionOverview? TransactionOverview { get; init; }
    public IReadOnlyList<JpmModification>? Modifications { get; init; }
}

internal sealed record JpmTransactionOverview
{
    public string? TransactionId { get; init; }
    public string? PartnerReference { get; init; }
    public decimal? Amount { get; init; }
    public string? CurrencyCode { get; init; }
    public string? PaymentMethod { get; init; }
}

/// <summary>One capture/refund/cancellation. The docs' field list is cut off after modificationData.type: the
/// status's name is read from the likely spellings.</summary>
internal sealed record JpmModification
{
    public string? ModificationId { get; init; }
    public string? ModificationStatus { get; init; }
    public string? Status { get; init; }
    public JpmModificationData? ModificationData { get; init; }

    public string? AnyStatus => ModificationStatus ?? Status;
}

internal sealed record JpmModificationData(string? Type, decimal? Amount, string? CurrencyCode);

/// <summary>POST /payment/refund (modifiedAmount omitted = everything) and /payment/cancelOrRefund.</summary>
internal sealed record JpmModificationBody
{
    public required string TransactionId { get; init; }
    public required string MerchantKey { get; init; }
    public required string ModificationId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JpmAmount? ModifiedAmount { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Description { get; init; }
}

internal sealed record JpmAmount(decimal Amount, string CurrencyCode);

internal sealed record JpmErrorBody(string? Code, string? ErrorCode, string? Message, string? Description, string? Error);

internal static class JpmJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T? TryParse<T>(string text) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Two decimals exactly, as SmartPay's decimal 18.2 wants (10 → 10.00, 10.5 → 10.50).</summary>
    public static decimal TwoDecimals(decimal amount)
    {
        if (decimal.Round(amount, 2) != amount)
        {
            throw new JpmSmartPayException($"SmartPay takes amounts with two decimals; {amount} has more.");
        }
        return decimal.Round(amount, 2) + 0.00m;
    }
}
