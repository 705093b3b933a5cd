namespace SnipcartGateway.Sandbox.Store;

/// <summary>
/// Builds a Snipcart invoice from a cart: product lines, a "Sales tax" line and a shipping line, as in
/// Snipcart's documented example. All in decimal, rounded to the currency's minor unit.
/// </summary>
public static class InvoiceCalculator
{
    public const decimal TaxRate = 0.08m;

    private static readonly Dictionary<string, (decimal Flat, decimal FreeOver)> Shipping = new(StringComparer.OrdinalIgnoreCase)
    {
        ["usd"] = (7.50m, 250m),
        ["eur"] = (6.90m, 230m),
        ["jpy"] = (1000m, 35000m),
        ["zar"] = (120m, 4500m),
        ["kes"] = (950m, 32000m),
    };

    public sealed record CartLine(string ProductId, int Quantity);

    /// <summary>The invoice, or an error message for an unknown product, quantity or currency.</summary>
    public static (SandboxInvoice? Invoice, string? Error) Build(
        IReadOnlyList<CartLine> cart, string currency, string? language, string? email, SandboxAddress? billing, SandboxAddress? shipping)
    {
        currency = currency.Trim().ToLowerInvariant();
        if (!StoreCatalog.Currencies.Contains(currency))
        {
            return (null, $"The store does not sell in '{currency}'.");
        }
        if (cart.Count == 0)
        {
            return (null, "The cart is empty.");
        }

        var items = new List<SandboxItem>();
        foreach (var line in cart)
        {
            if (StoreCatalog.Find(line.ProductId) is not { } product)
            {
                return (null, $"Unknown product '{line.ProductId}'.");
            }
            if (line.Quantity is < 1 or > 99)
            {
                return (null, "Quantities go from 1 to 99.");
            }
            var price = product.Prices[currency];
            items.Add(new SandboxItem(product.Name, price, line.Quantity, product.Type, 0m, price * line.Quantity));
        }

        var subtotal = items.Sum(i => i.Amount);
        var tax = SandboxMoney.Round(subtotal * TaxRate, currency);
        items.Add(new SandboxItem("Sales tax", tax, 1, "Tax", 0m, tax));

        if (items.Any(i => i.Type == "Physical"))
        {
            var (flat, freeOver) = Shipping[currency];
            var free = subtotal >= freeOver;
            var name = free ? $"FREE SHIPPING OVER {freeOver:0.##} {currency.ToUpperInvariant()}" : "Standard shipping";
            var cost = free ? 0m : flat;
            items.Add(new SandboxItem(name, cost, 1, "Shipping", 0m, cost));
        }

        return (new SandboxInvoice
        {
            Currency = currency,
            Language = language,
            Email = email,
            InvoiceNumber = "SNIP-" + Random.Shared.Next(1_000, 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            BillingAddress = billing,
            ShippingAddress = shipping ?? billing,
            Amount = items.Sum(i => i.Amount),
            Items = items,
        }, null);
    }
}
