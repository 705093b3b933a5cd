using System.Globalization;
using SnipcartGateway.Domain;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// Turns Snipcart's session into Smartpay's checkout session. Amounts are whole yen, converted exactly: a fraction
/// anywhere refuses the order (never rounded), and the lines must add up to Snipcart's total as the SDKs add them
/// (products and taxes at unit price × quantity, minus discounts, plus the shipping fee), or nothing is sent.
/// Refusals are <see cref="ProviderOrderRefusedException"/>, worded for the shopper.
/// </summary>
public static class SmartpayCheckoutSessionBuilder
{
    public static SmartpayCheckoutSessionCreate Build(ProviderPaymentRequest request, string captureMethod)
    {
        var currency = request.Amount.Currency;
        var total = Minor(request.Amount.Amount, currency, "The order total");
        var invoice = request.Invoice;

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
                    // Snipcart may write a discount as a negative price; Smartpay subtracts the kind's positive amount.
                    items.Add(Line(name, Math.Abs(unit), currency, quantity, "discount"));
                    break;
                case "Tax":
                    items.Add(Line(name, NotNegative(unit, name), currency, quantity, "tax"));
                    break;
                default:
                    items.Add(Line(name, NotNegative(unit, name), currency, quantity, "product"));
                    break;
            }
        }
        if (!items.Any(i => i.Kind == "product"))
        {
            throw Refuse("The order has no products to pay for with Smartpay.");
        }
        var sum = items.Sum(i => (i.Kind == "discount" ? -i.Amount : i.Amount) * i.Quantity) + shippingFee;
        if (sum != total)
        {
            throw Refuse($"The order's lines add up to {Yen(sum, currency)}, not its total of {Yen(total, currency)}: Smartpay cannot take it.");
        }

        var address = AddressOf(invoice.ShippingAddress) ?? AddressOf(invoice.BillingAddress)
            ?? throw Refuse("Smartpay needs a shipping address with street, city, postal code and country.");
        var person = invoice.ShippingAddress?.Name is { Length: > 0 } ? invoice.ShippingAddress : invoice.BillingAddress ?? invoice.ShippingAddress;
        var (first, last) = Names(person);
        return new SmartpayCheckoutSessionCreate
        {
            Amount = total,
            Currency = currency,
            CaptureMethod = captureMethod,
            Items = items,
            CustomerInfo = new SmartpayCustomerInfo
            {
                EmailAddress = Blank(invoice.Email),
                FirstName = first,
                LastName = last,
                PhoneNumber = Blank(invoice.BillingAddress?.Phone) ?? Blank(invoice.ShippingAddress?.Phone),
            },
            ShippingInfo = new SmartpayShippingInfo { Address = address, FeeAmount = shippingFee, FeeCurrency = currency },
            Reference = request.PaymentRef,
            Locale = LocaleOf(request.Language ?? invoice.Language),
            SuccessUrl = request.ReturnUrl.AbsoluteUri,
            CancelUrl = request.CancelUrl.AbsoluteUri,
            Description = Blank(request.Description),
        };
    }

    /// <summary>Smartpay's checkout speaks Japanese and English.</summary>
    public static string LocaleOf(string? language) =>
        language?.Trim().StartsWith("ja", StringComparison.OrdinalIgnoreCase) == true ? "ja" : "en";

    private static SmartpayLineItem Line(string name, long amount, string currency, int quantity, string kind) =>
        new() { Name = name, Amount = amount, Currency = currency, Quantity = quantity, Kind = kind };

    private static long Minor(decimal amount, string currency, string what)
    {
        var minor = amount * CurrencyCodes.MinorUnitFactor(currency);
        if (minor != decimal.Truncate(minor))
        {
            throw Refuse($"{what} ({amount.ToString(CultureInfo.InvariantCulture)} {currency}) has a fraction of a {(currency == "JPY" ? "yen" : "minor unit")}: Smartpay takes whole amounts only.");
        }
        return (long)minor;
    }

    private static int Quantity(SnipcartItem item, string name)
    {
        if (item.Quantity <= 0 || item.Quantity != decimal.Truncate(item.Quantity) || item.Quantity > int.MaxValue)
        {
            throw Refuse($"'{name}' has a quantity Smartpay cannot take ({item.Quantity.ToString(CultureInfo.InvariantCulture)}).");
        }
        return (int)item.Quantity;
    }

    private static long NotNegative(long amount, string name) =>
        amount >= 0 ? amount : throw Refuse($"'{name}' has a negative price: Smartpay cannot take it.");

    private static SmartpayAddress? AddressOf(SnipcartAddress? address)
    {
        if (address is null || Blank(address.StreetAndNumber) is not { } line1 || Blank(address.City) is not { } city
            || Blank(address.PostalCode) is not { } postalCode || Blank(address.Country) is not { } country)
        {
            return null;
        }
        return new SmartpayAddress
        {
            Line1 = line1,
            Locality = city,
            AdministrativeArea = Blank(address.Region),
            PostalCode = postalCode,
            Country = country.ToUpperInvariant(),
        };
    }

    /// <summary>Snipcart has a name (and sometimes a surname); Smartpay first and last names. Without a surname the
    /// last word is the last name (inferred: Snipcart's forms take one "name" field).</summary>
    private static (string? First, string? Last) Names(SnipcartAddress? address)
    {
        var name = Blank(address?.Name);
        if (Blank(address?.Surname) is { } surname)
        {
            return (name, surname);
        }
        if (name is null)
        {
            return (null, null);
        }
        var cut = name.LastIndexOf(' ');
        return cut < 0 ? (null, name) : (name[..cut].Trim(), name[(cut + 1)..]);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Yen(long amount, string currency) =>
        currency == "JPY" ? "¥" + amount.ToString("N0", CultureInfo.InvariantCulture) : $"{amount} (minor units) {currency}";

    private static ProviderOrderRefusedException Refuse(string message) => new(SmartpayProvider.ProviderId, message);
}
