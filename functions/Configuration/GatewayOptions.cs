namespace SnipcartGateway.Configuration;

/// <summary>Section "Gateway": where the gateway itself is reachable.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>
    /// Absolute http(s) URL of the gateway as Snipcart and customers' browsers reach it (used to build the
    /// payment-method URLs and provider return/callback URLs). Required; validation guarantees it is set.
    /// </summary>
    public Uri PublicBaseUrl { get; set; } = null!;

    /// <summary>Where the checkout page is served when it is not the gateway's own /checkout/ (optional).</summary>
    public Uri? CheckoutPageUrl { get; set; }

    /// <summary>The merchant's store, where the checkout page sends a shopper it knows no order for (an expired link,
    /// an unknown payment); optional.</summary>
    public Uri? StoreUrl { get; set; }
}
