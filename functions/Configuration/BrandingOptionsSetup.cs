using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace SnipcartGateway.Configuration;

/// <summary>Binds and validates <see cref="BrandingOptions"/>: URLs absolute http(s), the colour a hex colour, the
/// email an address; every message names the setting as operators set it (<c>Branding__LogoUrl</c>).</summary>
internal sealed partial class BrandingOptionsSetup(IConfiguration configuration) : IConfigureOptions<BrandingOptions>, IValidateOptions<BrandingOptions>
{
    private static readonly string[] UrlSettings =
        [nameof(BrandingOptions.LogoUrl), nameof(BrandingOptions.TermsUrl), nameof(BrandingOptions.PrivacyUrl), nameof(BrandingOptions.SupportUrl)];

    private const int MaxStoreNameLength = 80;

    public void Configure(BrandingOptions options)
    {
        options.StoreName = Trimmed(nameof(BrandingOptions.StoreName));
        options.LogoUrl = GatewayOptionsSetup.HttpUrl(Raw(nameof(BrandingOptions.LogoUrl)));
        options.AccentColor = Trimmed(nameof(BrandingOptions.AccentColor))?.ToLowerInvariant();
        options.TermsUrl = GatewayOptionsSetup.HttpUrl(Raw(nameof(BrandingOptions.TermsUrl)));
        options.PrivacyUrl = GatewayOptionsSetup.HttpUrl(Raw(nameof(BrandingOptions.PrivacyUrl)));
        options.SupportUrl = GatewayOptionsSetup.HttpUrl(Raw(nameof(BrandingOptions.SupportUrl)));
        options.SupportEmail = Trimmed(nameof(BrandingOptions.SupportEmail));
    }

    public ValidateOptionsResult Validate(string? name, BrandingOptions options)
    {
        var failures = new List<string>();
        foreach (var setting in UrlSettings)
        {
            if (Trimmed(setting) is { } value && GatewayOptionsSetup.HttpUrl(value) is null)
            {
                failures.Add($"{EnvName(setting)} must be an absolute http(s) URL when set.");
            }
        }
        if (Trimmed(nameof(BrandingOptions.AccentColor)) is { } color && !HexColor().IsMatch(color))
        {
            failures.Add($"{EnvName(nameof(BrandingOptions.AccentColor))} must be a hex colour such as #1f6f5c or #16a when set.");
        }
        if (Trimmed(nameof(BrandingOptions.SupportEmail)) is { } email && !Email().IsMatch(email))
        {
            failures.Add($"{EnvName(nameof(BrandingOptions.SupportEmail))} must be an email address such as help@shop.example when set.");
        }
        if (Trimmed(nameof(BrandingOptions.StoreName)) is { Length: > MaxStoreNameLength })
        {
            failures.Add($"{EnvName(nameof(BrandingOptions.StoreName))} must be at most {MaxStoreNameLength} characters.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? Raw(string setting) => configuration[BrandingOptions.SectionName + ":" + setting];

    private string? Trimmed(string setting) => string.IsNullOrWhiteSpace(Raw(setting)) ? null : Raw(setting)!.Trim();

    private static string EnvName(string setting) => SettingNames.ToEnvironmentVariable(BrandingOptions.SectionName + ":" + setting);

    [GeneratedRegex("^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();

    // One @, no spaces, a dot in the domain: a shape check, not a deliverability check.
    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
