using Microsoft.Extensions.FileProviders;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Hosting;

/// <summary>
/// The checkout page's files (checkout-page/, copied to wwwroot/checkout next to the app) and the headers they are
/// served with. The worker has no static-files middleware: the CheckoutPage function serves them through this.
/// </summary>
public sealed class CheckoutPageFiles
{
    public const string PathPrefix = "/checkout";

    /// <summary>Optional extra origin for connect-src, when the page calls an API on another origin.</summary>
    public const string ApiOriginSetting = "CheckoutPage:ApiOrigin";

    private readonly StaticPageFolder _files = new("checkout");

    public CheckoutPageFiles(IConfiguration configuration, IProviderRegistry providers)
    {
        // Once, at start-up: the strict policy, and one per widget provider (those not enabled declare no origins).
        var apiOrigin = configuration[ApiOriginSetting];
        var logoUrl = configuration["Branding:LogoUrl"];
        ContentSecurityPolicy = WithLogoOrigin(CheckoutPageCsp.Build(apiOrigin, []), logoUrl);
        _widgetPolicies = providers.All
            .Where(p => p.WidgetOrigins.Count > 0)
            .ToDictionary(p => p.Id, p => WithLogoOrigin(CheckoutPageCsp.Build(apiOrigin, p.WidgetOrigins), logoUrl), StringComparer.OrdinalIgnoreCase);
    }

    private readonly Dictionary<string, string> _widgetPolicies;

    /// <summary>
    /// The policy of a page opened with this query: the widget provider's (see <see cref="CheckoutPageCsp"/>) when the
    /// checkout link names one that is enabled, else the strict <see cref="ContentSecurityPolicy"/>.
    /// </summary>
    public string ContentSecurityPolicyFor(string? query) =>
        CheckoutPageCsp.LinkProvider(query) is { } provider && _widgetPolicies.TryGetValue(provider, out var policy)
            ? policy
            : ContentSecurityPolicy;

    /// <summary>The merchant's logo (Branding__LogoUrl) is the one image from elsewhere: its origin joins img-src only
    /// when the setting is set (validated at start-up as an absolute http(s) URL).</summary>
    public static string WithLogoOrigin(string policy, string? logoUrl) =>
        Configuration.GatewayOptionsSetup.HttpUrl(logoUrl) is { } logo
            ? policy.Replace("img-src 'self'", "img-src 'self' " + logo.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            : policy;

    /// <summary>The strict policy: every page that offers no widget provider (the status page, redirect providers).</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>The file for a path under /checkout/ ("" is index.html), or null. Never leaves the page's folder.</summary>
    public (IFileInfo File, string ContentType)? Find(string? relativePath) => _files.Find(relativePath);
}
