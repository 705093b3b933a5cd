using SnipcartGateway.Domain;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// Turns Snipcart's session into Smartpay's checkout session. Amounts are whole yen, converted exactly: a fraction
/// anywhere refuses the order (never rounded). The lines are <see cref="SmartpayLines"/> (tax included in prices not
/// added again, per-item discounts, the whole order as one line when Snipcart's numbers cannot add up); the names are
/// <see cref="SmartpayNames"/>; live mode takes https return URLs only. Refusals are
/// <see cref="ProviderOrderRefusedException"/>, worded for the shopper.
/// </summary>
public static class SmartpayCheckoutSessionBuilder
{
    public static SmartpayCheckoutSessionCreate Build(ProviderPaymentRequest request, string captureMethod)
    {
        var currency = request.Amount.Currency;
        var total = SmartpayLines.Minor(request.Amount.Amount, currency, "The order total");
        var invoice = request.Invoice;

        if (request.Mode == PaymentMode.Live && (request.ReturnUrl.Scheme != Uri.UriSchemeHttps || request.CancelUrl.Scheme != Uri.UriSchemeHttps))
        {
            // Smartpay sends a live shopper back to these: never over plain http (Gateway__PublicBaseUrl must be https).
            throw Refuse("Smartpay needs https return URLs in live mode: Gateway__PublicBaseUrl is not https.");
        }
        var lines = SmartpayLines.Build(invoice, currency, total, "Order " + (request.OrderNumber ?? request.PaymentRef));

        var address = AddressOf(invoice.ShippingAddress) ?? AddressOf(invoice.BillingAddress)
            ?? throw Refuse("Smartpay needs a shipping address with street, city, postal code and country.");
        var person = invoice.ShippingAddress?.Name is { Length: > 0 } ? invoice.ShippingAddress : invoice.BillingAddress ?? invoice.ShippingAddress;
        var (first, last) = SmartpayNames.Of(person);
        return new SmartpayCheckoutSessionCreate
        {
            Amount = total,
            Currency = currency,
            CaptureMethod = captureMethod,
            Items = lines.Items,
            CustomerInfo = new SmartpayCustomerInfo
            {
                EmailAddress = Blank(invoice.Email),
                FirstName = first,
                LastName = last,
                PhoneNumber = Blank(invoice.BillingAddress?.Phone) ?? Blank(invoice.ShippingAddress?.Phone),
            },
            ShippingInfo = new SmartpayShippingInfo { Address = address, FeeAmount = lines.ShippingFee, FeeCurrency = currency },
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

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static ProviderOrderRefusedException Refuse(string message) => new(SmartpayProvider.ProviderId, message);
}
