using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SnipcartGateway.Configuration;
using SnipcartGateway.Tests.Hosting;

namespace SnipcartGateway.Tests.Configuration;

/// <summary>Start-up refuses a missing or bad Gateway__PublicBaseUrl, with the env-var name in the message.</summary>
public sealed class GatewayOptionsTests
{
    private static IServiceProvider Services(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddGatewayOptions();
        return services.BuildServiceProvider();
    }

    [Theory]
    [InlineData(null, "Gateway__PublicBaseUrl is required")]
    [InlineData("", "Gateway__PublicBaseUrl is required")]
    [InlineData("/relative", "Gateway__PublicBaseUrl must be an absolute http(s) URL")]
    [InlineData("ftp://gateway.example", "Gateway__PublicBaseUrl must be an absolute http(s) URL")]
    public void Bad_public_base_url_fails_with_the_env_var_name(string? value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Services(new() { ["Gateway:PublicBaseUrl"] = value }).GetRequiredService<IOptions<GatewayOptions>>().Value);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Bad_checkout_page_url_is_refused_too()
    {
        var error = Assert.Throws<OptionsValidationException>(() =>
            Services(new() { ["Gateway:PublicBaseUrl"] = "https://pay.example", ["Gateway:CheckoutPageUrl"] = "checkout" })
                .GetRequiredService<IOptions<GatewayOptions>>().Value);
        Assert.Contains("Gateway__CheckoutPageUrl", error.Message);
    }

    [Fact]
    public void Valid_settings_bind()
    {
        var options = Services(new() { ["Gateway:PublicBaseUrl"] = "https://pay.example", ["Gateway:CheckoutPageUrl"] = "https://shop.example/pay/" })
            .GetRequiredService<IOptions<GatewayOptions>>().Value;
        Assert.Equal(new Uri("https://pay.example"), options.PublicBaseUrl);
        Assert.Equal(new Uri("https://shop.example/pay/"), options.CheckoutPageUrl);
    }

    [Fact]
    public void The_gateway_does_not_start_without_its_public_base_url()
    {
        using var factory = new GatewayAppFactory().WithWebHostBuilder(b => b.UseSetting("Gateway:PublicBaseUrl", ""));

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains("Gateway__PublicBaseUrl", error.Message);
    }
}
