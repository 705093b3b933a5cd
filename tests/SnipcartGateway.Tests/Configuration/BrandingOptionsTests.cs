using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SnipcartGateway.Configuration;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Configuration;

/// <summary>The merchant's page settings (Branding__*, Gateway__StoreUrl): all optional, checked at start-up with the
/// setting's name in the message; the logo's origin joins the page's img-src only when set.</summary>
public sealed class BrandingOptionsTests
{
    private static IServiceProvider Services(Dictionary<string, string?> settings)
    {
        settings.TryAdd("Gateway:PublicBaseUrl", "https://pay.example");
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddGatewayOptions();
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData("Branding:LogoUrl", "logo.png", "Branding__LogoUrl must be an absolute http(s) URL")]
    [InlineData("Branding:TermsUrl", "javascript:alert(1)", "Branding__TermsUrl must be an absolute http(s) URL")]
    [InlineData("Branding:PrivacyUrl", "ftp://shop.example/privacy", "Branding__PrivacyUrl must be an absolute http(s) URL")]
    [InlineData("Branding:SupportUrl", "/help", "Branding__SupportUrl must be an absolute http(s) URL")]
    [InlineData("Branding:AccentColor", "purple", "Branding__AccentColor must be a hex colour")]
    [InlineData("Branding:AccentColor", "#12345", "Branding__AccentColor must be a hex colour")]
    [InlineData("Branding:SupportEmail", "help at shop", "Branding__SupportEmail must be an email address")]
    public void A_malformed_branding_setting_stops_start_up_naming_it(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Services(new() { [key] = value }).GetRequiredService<IOptions<BrandingOptions>>().Value);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_store_url_that_is_not_an_absolute_http_url_stops_start_up()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Services(new() { ["Gateway:StoreUrl"] = "shop.example" }).GetRequiredService<IOptions<GatewayOptions>>().Value);
        Assert.Contains("Gateway__StoreUrl", error.Message);
    }

    [Fact]
    public void No_branding_at_all_is_fine_and_valid_settings_bind()
    {
        Assert.Null(Services(new()).GetRequiredService<IOptions<BrandingOptions>>().Value.StoreName);

        var services = Services(new()
        {
            ["Gateway:StoreUrl"] = "https://shop.example/",
            ["Branding:StoreName"] = " Louse Point Books ",
            ["Branding:LogoUrl"] = "https://cdn.example/logo.svg",
            ["Branding:AccentColor"] = "#5B2A86",
            ["Branding:TermsUrl"] = "https://shop.example/terms",
            ["Branding:SupportEmail"] = "help@shop.example",
        });
        var branding = services.GetRequiredService<IOptions<BrandingOptions>>().Value;
        Assert.Equal("Louse Point Books", branding.StoreName);
        Assert.Equal(new Uri("https://cdn.example/logo.svg"), branding.LogoUrl);
        Assert.Equal("#5b2a86", branding.AccentColor);
        Assert.Equal("help@shop.example", branding.SupportEmail);
        Assert.Equal(new Uri("https://shop.example/"), services.GetRequiredService<IOptions<GatewayOptions>>().Value.StoreUrl);
    }

    [Fact]
    public void The_logo_origin_joins_img_src_only_when_a_logo_is_set()
    {
        var strict = CheckoutPageCsp.Build(null, []);

        Assert.Equal(strict, CheckoutPageFiles.WithLogoOrigin(strict, null));
        Assert.Equal(strict, CheckoutPageFiles.WithLogoOrigin(strict, "not a url"));
        var withLogo = CheckoutPageFiles.WithLogoOrigin(strict, "http://cdn.example:8080/brand/logo.svg?v=2");
        Assert.Equal(strict.Replace("img-src 'self'", "img-src 'self' http://cdn.example:8080"), withLogo);
    }
}
