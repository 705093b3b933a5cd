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
        // Once, from every registered provider: those not enabled declare no origins.
        ContentSecurityPolicy = WithLogoOrigin(
            CheckoutPageCsp.Build(configuration[ApiOriginSetting], providers.All.SelectMany(p => p.WidgetOrigins)),
            configuration["Branding:LogoUrl"]);
    }

    /// <summary>The merchant's logo (Branding__LogoUrl) is the one image from elsewhere: its origin joins img-src only
    /// when the setting is set (validated at start-up as an absolute http(s) URL).</summary>
    public static string WithLogoOrigin(string policy, string? logoUrl) =>
        Configuration.GatewayOptionsSetup.HttpUrl(logoUrl) is { } logo
            ? policy.Replace("img-src 'self'", "img-src 'self' " + logo.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
            : policy;

    public string ContentSecurityPolicy { get; }

    /// <summary>The file for a path under /checkout/ ("" is index.html), or null. Never leaves the page's folder.</summary>
    public (IFileInfo File, string ContentType)? Find(string? relativePath) => _files.Find(relativePath);
}
