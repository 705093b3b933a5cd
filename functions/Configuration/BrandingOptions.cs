namespace SnipcartGateway.Configuration;

/// <summary>Section "Branding": the merchant's look on the checkout page. All optional; validated at start-up.</summary>
public sealed class BrandingOptions
{
    public const string SectionName = "Branding";

    public string? StoreName { get; set; }
    public Uri? LogoUrl { get; set; }
    /// <summary>A hex colour, #rgb or #rrggbb.</summary>
    public string? AccentColor { get; set; }
    public Uri? TermsUrl { get; set; }
    public Uri? PrivacyUrl { get; set; }
    public Uri? SupportUrl { get; set; }
    public string? SupportEmail { get; set; }
}
