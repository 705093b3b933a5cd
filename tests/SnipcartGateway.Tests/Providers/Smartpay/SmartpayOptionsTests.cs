using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers.Smartpay;

namespace SnipcartGateway.Tests.Providers.Smartpay;

/// <summary>Smartpay's settings: the contract's names and defaults, and the start-up refusals naming the setting.</summary>
public sealed class SmartpayOptionsTests
{
    private static SmartpayOptions Bind(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var services = new ServiceCollection().AddLogging().AddSmartpayProvider(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<SmartpayOptions>>().Value;
    }

    private static string Problems(Dictionary<string, string?> settings)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => Bind(settings));
        return string.Join("\n", ex.Failures);
    }

    private static Dictionary<string, string?> Valid() => new()
    {
        ["Providers:Smartpay:Enabled"] = "true",
        ["Providers:Smartpay:Test:SecretKey"] = "sk_test_abc123",
        ["Providers:Smartpay:Test:SigningSecret"] = "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q",
    };

    [Fact]
    public void Defaults_are_the_documented_ones_and_each_mode_uses_the_top_level_api_base_url()
    {
        var options = Bind(Valid());

        Assert.Equal("https://api.smartpay.co/v1", options.ApiBaseUrl);
        Assert.Equal("https://api.smartpay.co/v1", options.Test.BaseUri!.AbsoluteUri);
        Assert.Equal("https://api.smartpay.co/v1", options.Live.BaseUri!.AbsoluteUri);
        Assert.Equal("automatic", options.CaptureMethod);
        Assert.False(options.ManualCapture);
        Assert.Equal(TimeSpan.FromMinutes(5), options.WebhookTolerance);
        Assert.True(options.Supports(PaymentMode.Test, "jpy", "JP"));
        Assert.Equal(["JP"], options.CountryList);                       // Japan only by default
        Assert.False(options.Supports(PaymentMode.Test, "JPY", "US"));
        Assert.False(options.Supports(PaymentMode.Test, "JPY", null));
        Assert.False(options.Supports(PaymentMode.Test, "USD", "JP"));   // JPY only by default
        Assert.False(options.Supports(PaymentMode.Live, "JPY", "JP"));   // no live keys

        var moved = Valid();
        moved["Providers:Smartpay:ApiBaseUrl"] = "http://localhost:7080/smartpay/v1";
        moved["Providers:Smartpay:CaptureMethod"] = "manual";
        moved["Providers:Smartpay:Currencies"] = "JPY,USD";
        var bound = Bind(moved);
        Assert.Equal("http://localhost:7080/smartpay/v1", bound.Test.BaseUri!.AbsoluteUri);
        Assert.True(bound.ManualCapture);
        Assert.True(bound.Supports(PaymentMode.Test, "usd", "jp"));
    }

    [Fact]
    public void Disabled_needs_nothing()
    {
        var options = Bind(new Dictionary<string, string?> { ["Providers:Smartpay:Test:SecretKey"] = "sk_live_wrongButOff" });
        Assert.False(options.Offers(PaymentMode.Test));
    }

    [Fact]
    public void A_live_key_in_test_mode_or_a_test_key_in_live_mode_fails_start_up_naming_the_setting_not_the_key()
    {
        var settings = Valid();
        settings["Providers:Smartpay:Test:SecretKey"] = "sk_live_secretLiveValue1";
        settings["Providers:Smartpay:Live:SecretKey"] = "sk_test_secretTestValue2";
        settings["Providers:Smartpay:Live:SigningSecret"] = "gybcsjixKyBW2d4z6iNPlaYzHUMtawnodwZt3W0q";

        var problems = Problems(settings);

        Assert.Contains("Providers__Smartpay__Test__SecretKey is a live key", problems);
        Assert.Contains("Providers__Smartpay__Live__SecretKey is a test key", problems);
        Assert.DoesNotContain("secretLiveValue1", problems);
        Assert.DoesNotContain("secretTestValue2", problems);
    }

    [Fact]
    public void Malformed_settings_are_each_named()
    {
        var settings = Valid();
        settings["Providers:Smartpay:Test:SecretKey"] = "pk_test_public";
        settings["Providers:Smartpay:Test:SigningSecret"] = "not base62!";
        settings["Providers:Smartpay:CaptureMethod"] = "autommatic";
        settings["Providers:Smartpay:ApiBaseUrl"] = "api.smartpay.co";
        settings["Providers:Smartpay:WebhookTolerance"] = "-00:01:00";

        var problems = Problems(settings);

        Assert.Contains("Providers__Smartpay__Test__SecretKey is not a Smartpay secret key", problems);
        Assert.Contains("Providers__Smartpay__Test__SigningSecret is not a Smartpay signing secret", problems);
        Assert.Contains("Providers__Smartpay__CaptureMethod must be 'automatic' or 'manual'", problems);
        Assert.Contains("Providers__Smartpay__ApiBaseUrl must be an absolute http(s) URL", problems);
        Assert.Contains("Providers__Smartpay__WebhookTolerance must be positive", problems);
        Assert.DoesNotContain("pk_test_public", problems);
    }

    [Fact]
    public void A_key_without_its_signing_secret_is_named()
    {
        var settings = Valid();
        settings.Remove("Providers:Smartpay:Test:SigningSecret");
        Assert.Contains("Providers__Smartpay__Test__SigningSecret is missing", Problems(settings));
    }
}
