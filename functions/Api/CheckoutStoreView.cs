using Microsoft.Extensions.Options;
using SnipcartGateway.Configuration;

namespace SnipcartGateway.Api;

/// <summary>The merchant's branding and links as the checkout page shows them on every screen (Branding__* and
/// Gateway__StoreUrl; every field optional, URLs already checked to be absolute http(s) at start-up).</summary>
public sealed record CheckoutStoreView(
    string? Name,
    string? LogoUrl,
    string? TermsUrl,
    string? PrivacyUrl,
    string? SupportUrl,
    string? SupportEmail,
    string? AccentColor,
    string? Url)
{
    public static CheckoutStoreView From(BrandingOptions branding, GatewayOptions gateway) => new(
        branding.StoreName,
        branding.LogoUrl?.AbsoluteUri,
        branding.TermsUrl?.AbsoluteUri,
        branding.PrivacyUrl?.AbsoluteUri,
        branding.SupportUrl?.AbsoluteUri,
        branding.SupportEmail,
        branding.AccentColor,
        gateway.StoreUrl?.AbsoluteUri);
}

/// <summary>Builds <see cref="CheckoutStoreView"/> once from the validated settings.</summary>
public sealed class CheckoutStore(IOptions<BrandingOptions> branding, IOptions<GatewayOptions> gateway)
{
    private readonly Lazy<CheckoutStoreView> _view = new(() => CheckoutStoreView.From(branding.Value, gateway.Value));

    public CheckoutStoreView View => _view.Value;
}
