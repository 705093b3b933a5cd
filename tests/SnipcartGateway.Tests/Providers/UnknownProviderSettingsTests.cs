using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.JpmSmartPay;
using SnipcartGateway.Providers.SandboxPay;

namespace SnipcartGateway.Tests.Providers;

/// <summary>A setting under Providers__ that no provider reads is named at start-up (a warning; start-up goes on).</summary>
public sealed class UnknownProviderSettingsTests
{
    private static IConfiguration Settings(params string[] keys) =>
        new ConfigurationBuilder().AddInMemoryCollection(keys.Select(k => new KeyValuePair<string, string?>(k, "x"))).Build();

    [Theory]
    [InlineData("Providers:SandboxPay:Enabled", null)]
    [InlineData("Providers:SandboxPay:Test:BaseUrl", null)]
    [InlineData("Providers:sandboxpay:test:secretkey", null)]
    [InlineData("Providers:JpmSmartPay:Notifications:Username", null)]
    [InlineData("Providers:JpmSmartPay:Live:WidgetOrigins", null)]
    [InlineData("Providers:SandboxPay:BaseUrl", "Providers__SandboxPay__BaseUrl")]
    [InlineData("Providers:SandboxPay:Test:SecretKeys", "Providers__SandboxPay__Test__SecretKeys")]
    [InlineData("Providers:JpmSmartPay:Notifications:User", "Providers__JpmSmartPay__Notifications__User")]
    [InlineData("Providers:JpmSmartPay:Test:IsConfigured", "Providers__JpmSmartPay__Test__IsConfigured")]
    [InlineData("Providers:Stripe:Test:SecretKey", "Providers__Stripe__Test__SecretKey")]
    public void Names_each_setting_no_provider_reads(string setting, string? named)
    {
        var found = UnknownProviderSettings.Find(Settings(setting).GetSection("Providers"),
            [new ProviderSettingsSection("SandboxPay", typeof(SandboxPayOptions)), new ProviderSettingsSection("JpmSmartPay", typeof(JpmSmartPayOptions))]).ToList();

        Assert.Equal(named is null ? [] : [named], found);
    }

    [Fact]
    public async Task The_app_logs_one_warning_line_per_unknown_setting_at_start_up_and_starts()
    {
        var logs = new JpmSmartPay.AllLogs();
        var configuration = Settings("Providers:SandboxPay:BaseUrl", "Providers:SandboxPay:Enabled");
        var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs)).AddSingleton(configuration);
        services.AddPaymentProviders(configuration);
        await using var built = services.BuildServiceProvider();

        foreach (var hosted in built.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        var warning = Assert.Single(logs.Lines, l => l.Contains("read by no provider", StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning);
        Assert.Contains("Providers__SandboxPay__BaseUrl", warning);
    }
}
