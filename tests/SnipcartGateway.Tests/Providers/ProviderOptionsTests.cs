using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Providers.SandboxPay;

namespace SnipcartGateway.Tests.Providers;

/// <summary>
/// Every provider's settings have one shape (Enabled, Currencies, Countries, and per mode BaseUrl and credentials),
/// and one validator reports every problem by its setting name at start-up, not the first one only.
/// </summary>
public sealed class ProviderOptionsTests
{
    private static SandboxPayOptions Options(Action<SandboxPayOptions> configure)
    {
        var options = new SandboxPayOptions { Enabled = true };
        configure(options);
        return options;
    }

    [Fact]
    public void A_mode_is_offered_only_when_its_credentials_are_set()
    {
        var options = Options(o => o.Test = new SandboxPayModeKeys { SecretKey = "sk", SigningSecret = "ss" });

        Assert.True(options.Offers(PaymentMode.Test));
        Assert.False(options.Offers(PaymentMode.Live));
        Assert.True(options.Supports(PaymentMode.Test, "usd", "US"));
        Assert.False(options.Supports(PaymentMode.Live, "usd", "US"));
        Assert.Empty(options.Problems("Providers__SandboxPay"));
    }

    [Fact]
    public void Currencies_and_countries_limit_what_is_offered()
    {
        var options = Options(o =>
        {
            o.Test = new SandboxPayModeKeys { SecretKey = "sk", SigningSecret = "ss" };
            o.Currencies = "ZAR, usd";
            o.Countries = "za";
        });

        Assert.True(options.Supports(PaymentMode.Test, "zar", "ZA"));
        Assert.True(options.Supports(PaymentMode.Test, "USD", "za"));
        Assert.False(options.Supports(PaymentMode.Test, "EUR", "ZA"));
        Assert.False(options.Supports(PaymentMode.Test, "ZAR", "US"));
        Assert.False(options.Supports(PaymentMode.Test, "ZAR", null));
    }

    [Fact]
    public void Every_problem_is_named_by_its_setting()
    {
        var options = Options(o =>
        {
            o.Currencies = "ZAR, rand";
            o.Countries = "ZAF";
            o.Test = new SandboxPayModeKeys { SecretKey = "sk", BaseUrl = "not a url" };
        });

        var problems = options.Problems("Providers__SandboxPay").ToList();

        Assert.Contains(problems, p => p.StartsWith("Providers__SandboxPay__Currencies: 'rand'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Providers__SandboxPay__Countries: 'ZAF'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Providers__SandboxPay__Test__SigningSecret is missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Providers__SandboxPay__Test__BaseUrl must be an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Equal(4, problems.Count);
    }

    [Fact]
    public void An_enabled_provider_without_any_credentials_is_a_problem_and_a_disabled_one_is_not()
    {
        Assert.Contains(
            Options(_ => { }).Problems("Providers__SandboxPay"),
            p => p.Contains("Providers__SandboxPay__Test__SecretKey, Providers__SandboxPay__Test__SigningSecret", StringComparison.Ordinal));
        Assert.Empty(Options(o => { o.Enabled = false; o.Currencies = "nonsense"; }).Problems("Providers__SandboxPay"));
    }

    [Fact]
    public void Start_up_reports_all_of_a_providers_problems_at_once()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:PublicBaseUrl"] = "https://pay.example.com",
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Snipcart:SecretKeys:Test"] = "sk_test",
            ["Providers:SandboxPay:Enabled"] = "true",
            ["Providers:SandboxPay:Currencies"] = "dollars",
            ["Providers:SandboxPay:Test:SecretKey"] = "sk",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddGateway(configuration);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Providers__SandboxPay__Currencies: 'dollars'", failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("Providers__SandboxPay__Test__SigningSecret is missing", failure.ToString(), StringComparison.Ordinal);
    }
}
