using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SnipcartGateway.Configuration;
using SnipcartGateway.Hosting;
using SnipcartGateway.Tests.Infrastructure;

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

    /// <summary>A generic host with the gateway's registrations, as the worker builds it (minus the Functions runtime).</summary>
    private static IHost GatewayHost(Action<Dictionary<string, string?>> change)
    {
        var settings = StandaloneGatewaySettings.Create();
        change(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddGateway(builder.Configuration);
        return builder.Build();
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

    [Theory]
    [InlineData(null, "Gateway__PublicBaseUrl is required")]
    [InlineData("pay.example", "Gateway__PublicBaseUrl must be an absolute http(s) URL")]
    public async Task A_host_with_the_gateways_registrations_does_not_start_without_a_valid_public_base_url(string? value, string message)
    {
        using var host = GatewayHost(s => s["Gateway:PublicBaseUrl"] = value);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_host_with_the_gateways_registrations_starts_with_valid_settings()
    {
        // The control for the test above: the same host starts when only the setting is fixed.
        using var host = GatewayHost(_ => { });

        await host.StartAsync();
        await host.StopAsync();
    }
}
