using System.Globalization;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Providers;

/// <summary>
/// What the shopper sees of the order at a provider and on our page: Snipcart's invoice number (the number on the
/// shopper's order page and confirmation email) and the products. Our payment reference stays the provider's
/// merchant reference, the one its answers are verified against; this text is display only.
/// </summary>
public static class OrderDescription
{
    /// <summary>The longest description sent (J.P. Morgan takes 127, the others more).</summary>
    public const int MaxLength = 120;

    /// <summary>An invoice number longer than this is not one Snipcart makes ("SNIP-1001"): not shown.</summary>
    public const int MaxNumberLength = 40;

    /// <summary>Snipcart's invoice number, trimmed; null when the session has none (the custom-gateway reference does
    /// not list it) or it is not printable text.</summary>
    public static string? NumberOf(SnipcartInvoice? invoice)
    {
        var number = invoice?.InvoiceNumber?.Trim();
        return string.IsNullOrEmpty(number) || number.Length > MaxNumberLength || number.Any(char.IsControl) ? null : number;
    }

    /// <summary>"Order SNIP-1001: 2 x Shirt, 1 x Hat"; "Order SNIP-1001 (12 items)" when the products do not fit;
    /// without a number, the products alone or "Order of 12 item(s)".</summary>
    public static string For(SnipcartInvoice invoice)
    {
        var products = (invoice.Items ?? []).Where(i => i.Type is null or "Physical" or "Digital").ToList();
        var lines = string.Join(", ", products.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Quantity:0.##} x {i.Name}")));
        var count = products.Count.ToString(CultureInfo.InvariantCulture);
        if (NumberOf(invoice) is not { } number)
        {
            return lines.Length is > 0 and <= MaxLength ? lines : $"Order of {count} item(s)";
        }
        var withLines = $"Order {number}: {lines}";
        return lines.Length > 0 && withLines.Length <= MaxLength ? withLines : $"Order {number} ({count} item(s))";
    }
}
