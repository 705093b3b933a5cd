using System.Globalization;
using SnipcartGateway.Domain;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>The order's lines as Smartpay takes them, and the shipping fee; <see cref="Itemised"/> is false when they
/// are the whole order as one line.</summary>
public sealed record SmartpayOrderLines(IReadOnlyList<SmartpayLineItem> Items, long ShippingFee, bool Itemised);

/// <summary>
/// Snipcart's invoice lines as Smartpay's items, which Smartpay requires to add up to the total exactly (products,
/// plus taxes, minus discounts, plus the shipping fee). Japanese shops show tax-inclusive prices: a line whose
/// <c>rateOfTaxIncludedInPrice</c> is set carries tax already in its price, so a tax line marked that way is not added
/// again; an item's own <c>discountAmount</c> becomes a discount line. Where Snipcart's numbers still cannot be made to
/// add up, the order goes as one line of its total rather than being refused (what Smartpay's Magento plugin does).
/// </summary>
public static class SmartpayLines
{
    /// <summary>The API's largest quantity of one line.</summary>
    public const int MaxQuantity = 65_535;

    public static SmartpayOrderLines Build(SnipcartInvoice invoice, string currency, long total, string wholeOrderName)
    {
        var items = new List<SmartpayLineItem>();
        long shippingFee = 0;
        foreach (var item in invoice.Items ?? [])
        {
            var name = string.IsNullOrWhiteSpace(item.Name) ? "Item" : item.Name.Trim();
            var quantity = Quantity(item, name);
            var unit = Minor(item.UnitPrice, currency, $"The price of '{name}'");
            switch (item.Type)
            {
                case "Shipping":
                    shippingFee += Math.Abs(unit) * quantity;
                    break;
                case "Discount":
                    items.Add(Line(name, Math.Abs(unit), currency, quantity, "discount"));
                    break;
                case "Tax" when item.RateOfTaxIncludedInPrice > 0:
                    break; // already in the prices of the lines it was computed on
                case "Tax":
                    items.Add(Line(name, NotNegative(unit, name), currency, quantity, "tax"));
                    break;
                default:
                    items.Add(Line(name, NotNegative(unit, name), currency, quantity, "product"));
                    if (item.DiscountAmount is > 0 and var discount)
                    {
                        items.Add(Line("Discount: " + name, Minor(discount, currency, $"The discount on '{name}'"), currency, 1, "discount"));
                    }
                    break;
            }
        }
        if (!items.Any(i => i.Kind == "product"))
        {
            throw Refuse("The order has no products to pay for with Smartpay.");
        }
        var sum = items.Sum(i => (i.Kind == "discount" ? -i.Amount : i.Amount) * i.Quantity) + shippingFee;
        return sum == total
            ? new SmartpayOrderLines(items, shippingFee, Itemised: true)
            : new SmartpayOrderLines([Line(wholeOrderName, total, currency, 1, "product")], 0, Itemised: false);
    }

    public static long Minor(decimal amount, string currency, string what)
    {
        var minor = amount * CurrencyCodes.MinorUnitFactor(currency);
        if (minor != decimal.Truncate(minor))
        {
            throw Refuse($"{what} ({amount.ToString(CultureInfo.InvariantCulture)} {currency}) has a fraction of a {(currency == "JPY" ? "yen" : "minor unit")}: Smartpay takes whole amounts only.");
        }
        return (long)minor;
    }

    private static SmartpayLineItem Line(string name, long amount, string currency, int quantity, string kind) =>
        new() { Name = name, Amount = amount, Currency = currency, Quantity = quantity, Kind = kind };

    private static int Quantity(SnipcartItem item, string name)
    {
        if (item.Quantity <= 0 || item.Quantity != decimal.Truncate(item.Quantity) || item.Quantity > MaxQuantity)
        {
            throw Refuse($"'{name}' has a quantity Smartpay cannot take ({item.Quantity.ToString(CultureInfo.InvariantCulture)}; at most {MaxQuantity:N0}).");
        }
        return (int)item.Quantity;
    }

    private static long NotNegative(long amount, string name) =>
        amount >= 0 ? amount : throw Refuse($"'{name}' has a negative price: Smartpay cannot take it.");

    private static ProviderOrderRefusedException Refuse(string message) => new(SmartpayProvider.ProviderId, message);
}
