using Microsoft.Extensions.Options;

namespace SnipcartGateway.Configuration;

/// <summary>
/// Binds and validates <see cref="GatewayOptions"/> from the raw strings. The default binder would throw a
/// conversion error naming "Gateway:PublicBaseUrl" and accept relative URIs; operators set
/// "Gateway__PublicBaseUrl", so that is the name every message uses.
/// </summary>
internal sealed class GatewayOptionsSetup(IConfiguration configuration) : IConfigureOptions<GatewayOptions>, IValidateOptions<GatewayOptions>
{
    public const string PublicBaseUrlKey = GatewayOptions.SectionName + ":" + nameof(GatewayOptions.PublicBaseUrl);
    public const string CheckoutPageUrlKey = GatewayOptions.SectionName + ":" + nameof(GatewayOptions.CheckoutPageUrl);
    public const string StoreUrlKey = GatewayOptions.SectionName + ":" + nameof(GatewayOptions.StoreUrl);

    public void Configure(GatewayOptions options)
    {
        options.PublicBaseUrl = HttpUrl(configuration[PublicBaseUrlKey])!;
        options.CheckoutPageUrl = HttpUrl(configuration[CheckoutPageUrlKey]);
        options.StoreUrl = HttpUrl(configuration[StoreUrlKey]);
    }

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var failures = new List<string>();
        var publicBaseUrl = configuration[PublicBaseUrlKey];
        if (string.IsNullOrWhiteSpace(publicBaseUrl))
        {
            failures.Add($"{SettingNames.ToEnvironmentVariable(PublicBaseUrlKey)} is required: the absolute http(s) URL where Snipcart and browsers reach the gateway, e.g. https://pay.example.com.");
        }
        else if (HttpUrl(publicBaseUrl) is null)
        {
            failures.Add($"{SettingNames.ToEnvironmentVariable(PublicBaseUrlKey)} must be an absolute http(s) URL, e.g. https://pay.example.com.");
        }

        var checkoutPageUrl = configuration[CheckoutPageUrlKey];
        if (!string.IsNullOrWhiteSpace(checkoutPageUrl) && HttpUrl(checkoutPageUrl) is null)
        {
            failures.Add($"{SettingNames.ToEnvironmentVariable(CheckoutPageUrlKey)} must be an absolute http(s) URL when set.");
        }
        var storeUrl = configuration[StoreUrlKey];
        if (!string.IsNullOrWhiteSpace(storeUrl) && HttpUrl(storeUrl) is null)
        {
            failures.Add($"{SettingNames.ToEnvironmentVariable(StoreUrlKey)} must be an absolute http(s) URL when set, e.g. https://shop.example.com.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static Uri? HttpUrl(string? value) =>
        Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;
}
