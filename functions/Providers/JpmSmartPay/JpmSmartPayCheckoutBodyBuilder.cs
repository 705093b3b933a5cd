using System.Text.RegularExpressions;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// Create Checkout's body from our payment request: <c>partnerReference</c> = our payment reference (unique per
/// attempt, as SmartPay requires per merchant), the amount with two decimals, the description cut to 127 characters,
/// (the order's number and products, shown in the widget), the consumer and billing address from Snipcart's invoice, and the shipping address when the cart has goods to
/// ship (the docs: "for physical goods").
/// </summary>
internal static partial class JpmSmartPayCheckoutBodyBuilder
{
    public const int MaxDescriptionLength = 127;

    public static JpmCheckoutBody Build(ProviderPaymentRequest request, string merchantKey)
    {
        var invoice = request.Invoice;
        var billing = invoice.BillingAddress;
        var (firstName, lastName) = SplitName(billing);
        var shipsGoods = invoice.Items.Any(i => string.Equals(i.Type, "Physical", StringComparison.OrdinalIgnoreCase));
        return new JpmCheckoutBody
        {
            MerchantKey = merchantKey,
            PartnerReference = request.PaymentRef,
            Payment = new JpmPaymentBody(JpmJson.TwoDecimals(request.Amount.Amount), request.Amount.Currency, Description(request.Description, request.OrderNumber ?? request.PaymentRef)),
            Consumer = new JpmConsumer(firstName, lastName, Blank(invoice.Email)),
            BillingAddress = Address(billing),
            ShippingAddress = shipsGoods && invoice.ShippingAddress is { } shipping ? Address(shipping) : null,
        };
    }

    /// <summary>The shopper sees <c>payment.description</c> in the widget: the order's number and products
    /// (<see cref="OrderDescription"/>); <c>partnerReference</c> stays our payment reference.</summary>
    private static string Description(string description, string orderNumber)
    {
        var text = string.IsNullOrWhiteSpace(description) ? "Order " + orderNumber : description.Trim();
        return text.Length <= MaxDescriptionLength ? text : text[..(MaxDescriptionLength - 1)] + "…";
    }

    /// <summary>Snipcart's <c>name</c> is the full name; <c>surname</c>, when sent, the family name.</summary>
    internal static (string? First, string? Last) SplitName(SnipcartAddress? address)
    {
        var name = Blank(address?.Name);
        var surname = Blank(address?.Surname);
        if (surname is not null)
        {
            var first = name is not null && name.EndsWith(" " + surname, StringComparison.Ordinal) ? name[..^(surname.Length + 1)].Trim() : name;
            return (Blank(first), surname);
        }
        if (name is null)
        {
            return (null, null);
        }
        var space = name.LastIndexOf(' ');
        return space > 0 ? (name[..space].Trim(), name[(space + 1)..]) : (name, name);
    }

    /// <summary>SmartPay has the street and the house number apart; Snipcart has one line. A number at either end of
    /// the line is taken as the house number ("Anystreet 123", "123 Main St"), otherwise the line goes whole.</summary>
    internal static JpmAddress Address(SnipcartAddress? address)
    {
        var line = Blank(address?.StreetAndNumber);
        string? number = null;
        if (line is not null)
        {
            if (TrailingNumber().Match(line) is { Success: true } trailing)
            {
                number = trailing.Groups["number"].Value;
                line = trailing.Groups["street"].Value.TrimEnd(',', ' ');
            }
            else if (LeadingNumber().Match(line) is { Success: true } leading)
            {
                number = leading.Groups["number"].Value;
                line = leading.Groups["street"].Value.TrimStart(',', ' ');
            }
        }
        return new JpmAddress
        {
            AddressLine1 = line,
            Number = number,
            City = Blank(address?.City),
            PostCode = Blank(address?.PostalCode),
            CountryCode = Blank(address?.Country)?.ToUpperInvariant(),
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"^(?<street>\D.*?)[ ,]+(?<number>\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)$")]
    private static partial Regex TrailingNumber();

    [GeneratedRegex(@"^(?<number>\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)[ ,]+(?<street>\D.*)$")]
    private static partial Regex LeadingNumber();
}
