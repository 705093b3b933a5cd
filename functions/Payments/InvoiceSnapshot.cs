using System.Text.Json;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Payments;

/// <summary>The invoice as stored with an attempt: what the shopper was shown and paid for.</summary>
public static class InvoiceSnapshot
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(SnipcartInvoice invoice) => JsonSerializer.Serialize(invoice, Options);

    public static SnipcartInvoice? Deserialize(string json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<SnipcartInvoice>(json, Options);
}
