using SnipcartGateway.Domain;

namespace SnipcartGateway.Payments;

/// <summary>The gateway's public URLs, as providers, Snipcart and shoppers must reach them.</summary>
public sealed class GatewayUrls(Uri publicBaseUrl, Uri? checkoutPageUrl)
{
    private readonly string _base = publicBaseUrl.ToString().TrimEnd('/');

    public Uri CheckoutPage { get; } = checkoutPageUrl ?? new Uri(publicBaseUrl.ToString().TrimEnd('/') + "/checkout/");

    /// <summary>The checkoutUrl Snipcart sends the shopper to (it appends publicToken). Snipcart's session does
    /// not carry the mode, so the URL does.</summary>
    public string CheckoutUrl(string providerId, PaymentMode mode, string signature) =>
        $"{CheckoutPage}?provider={Uri.EscapeDataString(providerId)}&mode={mode.ToWire()}&sig={Uri.EscapeDataString(signature)}";

    public Uri Return(string paymentRef) => new($"{_base}/api/checkout/return/{paymentRef}");

    public Uri Cancel(string paymentRef) => new($"{_base}/api/checkout/cancel/{paymentRef}");

    /// <summary>Where a provider posts its notifications. The mode rides along so the notification is verified with
    /// that mode's credentials (a provider's test and live secrets differ).</summary>
    public Uri Notifications(string providerId, PaymentMode mode) =>
        new($"{_base}/api/providers/{Uri.EscapeDataString(providerId)}/notifications?mode={mode.ToWire()}");

    /// <summary>links.refunds: our payment reference in the path, and a key only Snipcart is given (the shopper
    /// knows the reference: it is in their browser's URLs).</summary>
    public string Refunds(string paymentRef, string refundKey) => $"{_base}/api/snipcart/refunds/{paymentRef}?key={refundKey}";

    /// <summary>A path of the gateway's own site as an absolute URL.</summary>
    public string Absolute(string path) => _base + "/" + path.TrimStart('/');

    /// <summary>Our page explaining what a shopper's browser reached instead of a payment (an unknown reference on a
    /// provider's return or cancel URL), with a link back to the store.</summary>
    public string NoticePage(string notice) => $"{CheckoutPage}?notice={Uri.EscapeDataString(notice)}";

    /// <summary>Where a shopper waits when the payment could not be finished at once.</summary>
    public string StatusPage(string paymentRef) => $"{CheckoutPage}?paymentRef={paymentRef}";
}
