using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Api;

/// <summary>The JSON the checkout page renders (camelCase on the wire). Display only: the payment API re-fetches
/// the session itself and never trusts anything the page sends back but the token.</summary>
public sealed record CheckoutSessionView
{
    public required string SessionId { get; init; }
    public required string Mode { get; init; }
    public required string Language { get; init; }
    public required string Currency { get; init; }
    public required decimal Amount { get; init; }
    public string? Email { get; init; }
    public required IReadOnlyList<CheckoutItemView> Items { get; init; }
    public required CheckoutTotalsView Totals { get; init; }
    public SnipcartAddress? BillingAddress { get; init; }
    public SnipcartAddress? ShippingAddress { get; init; }
    /// <summary>Snipcart's paymentAuthorizationRedirectUrl, only when it is an absolute http(s) URL.</summary>
    public string? BackUrl { get; init; }
    public required CheckoutProviderView Provider { get; init; }
    /// <summary><c>payable</c>, <c>in_progress</c> or <c>paid</c> (see <see cref="CheckoutSessionState"/>).</summary>
    public string State { get; init; } = CheckoutSessionState.Payable;
    /// <summary>The attempt in flight, or the one that paid the session.</summary>
    public string? PaymentRef { get; init; }
    /// <summary>Snipcart's returnUrl (the order's page) once the session is paid.</summary>
    public string? ReturnUrl { get; init; }
    /// <summary>The session's latest attempt: the one in flight, the one that paid, or the last that failed.</summary>
    public CheckoutPaymentView? Payment { get; init; }
    public CheckoutStoreView? Store { get; init; }
    /// <summary>Snipcart's invoice number ("SNIP-1001"), shown on every screen and sent to the provider; null when
    /// the session has none.</summary>
    public string? OrderNumber { get; init; }

    /// <summary>Null when the session cannot be shown (no valid currency).</summary>
    public static CheckoutSessionView? TryFrom(SnipcartPaymentSession session, PaymentMode mode, IPaymentProvider provider)
    {
        var invoice = session.Invoice;
        if (!CurrencyCodes.IsValid(invoice.Currency))
        {
            return null;
        }
        var items = invoice.Items ?? [];
        return new CheckoutSessionView
        {
            SessionId = session.Id,
            Mode = mode.ToWire(),
            Language = string.IsNullOrWhiteSpace(invoice.Language) ? "en" : invoice.Language.Trim(),
            Currency = CurrencyCodes.Normalize(invoice.Currency),
            Amount = invoice.Amount,
            Email = invoice.Email,
            Items = items.Select(i => new CheckoutItemView(i.Name ?? "", i.Type ?? "", i.Quantity, i.UnitPrice, i.Amount)).ToList(),
            Totals = CheckoutTotalsView.From(items, invoice.Amount),
            BillingAddress = invoice.BillingAddress,
            ShippingAddress = invoice.ShippingAddress,
            BackUrl = HttpUrlOrNull(session.PaymentAuthorizationRedirectUrl),
            Provider = new CheckoutProviderView(provider.Id, provider.DisplayName),
            OrderNumber = OrderDescription.NumberOf(invoice),
        };
    }

    // The page turns this into a link: anything but http(s) (javascript:, data:) must never get there.
    internal static string? HttpUrlOrNull(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;
}

public sealed record CheckoutItemView(string Name, string Type, decimal Quantity, decimal UnitPrice, decimal Amount);

/// <param name="IconUrl">The provider's logo, served by the gateway itself (the same icon as the payment-methods
/// answer's <c>iconUrl</c>); null when the provider has none.</param>
public sealed record CheckoutProviderView(string Id, string Name, string? IconUrl = null);

public sealed record CheckoutTotalsView(decimal Items, decimal Discounts, decimal Taxes, decimal Shipping, decimal Total)
{
    /// <summary>
    /// Sums amounts by item type. The total is Snipcart's own grand total, not our sum: it is what gets charged.
    /// Types Snipcart may add later count as items, so a line is never silently left out of the subtotal.
    /// </summary>
    public static CheckoutTotalsView From(IEnumerable<SnipcartItem> items, decimal invoiceAmount)
    {
        decimal goods = 0, discounts = 0, taxes = 0, shipping = 0;
        foreach (var item in items)
        {
            switch (item.Type?.Trim().ToLowerInvariant())
            {
                case "discount": discounts += item.Amount; break;
                case "tax": taxes += item.Amount; break;
                case "shipping": shipping += item.Amount; break;
                default: goods += item.Amount; break;
            }
        }
        return new CheckoutTotalsView(goods, discounts, taxes, shipping, invoiceAmount);
    }
}
