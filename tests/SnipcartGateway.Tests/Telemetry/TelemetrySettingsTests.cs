using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SnipcartGateway.Hosting.Telemetry;

namespace SnipcartGateway.Tests.Telemetry;

/// <summary>Where telemetry goes is decided by two settings only; with neither, OpenTelemetry is not registered.</summary>
public sealed class TelemetrySettingsTests
{
    private static IConfiguration Settings(string? appInsights, string? otlp) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = appInsights,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp,
        }).Build();

    [Theory]
    [InlineData(null, null, false, false)]
    [InlineData("", " ", false, false)]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000000", null, true, false)]
    [InlineData(null, "http://127.0.0.1:4318", false, true)]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000000", "http://127.0.0.1:4318", true, true)]
    public void The_exporters_follow_the_two_settings(string? appInsights, string? otlp, bool azureMonitor, bool otlpExport)
    {
        var export = TelemetryExport.From(Settings(appInsights, otlp));

        Assert.Equal(azureMonitor, export.AzureMonitor);
        Assert.Equal(otlpExport, export.Otlp);
    }

    [Fact]
    public void Without_an_exporter_nothing_of_OpenTelemetry_is_registered()
    {
        var services = new ServiceCollection().AddGatewayTelemetry(Settings(null, null));

        Assert.DoesNotContain(services, s => s.ServiceType.Namespace?.StartsWith("OpenTelemetry", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void With_an_otlp_endpoint_a_tracer_provider_is_built()
    {
        using var provider = new ServiceCollection().AddLogging().AddGatewayTelemetry(Settings(null, "http://127.0.0.1:9")).BuildServiceProvider();

        Assert.NotNull(provider.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("Authorization=AAD", "")]
    [InlineData("ClientId=1f0c2b4e-0000-4000-8000-000000000001;Authorization=AAD", "1f0c2b4e-0000-4000-8000-000000000001")]
    [InlineData("Authorization=aad; ClientId=abc", "abc")]
    [InlineData("ClientId=abc", null)]
    public void The_authentication_string_names_the_identity_that_signs_in(string? authentication, string? clientId)
    {
        Assert.Equal(clientId, TelemetryExport.EntraClientId(authentication));
    }

    [Theory]
    [InlineData("https://gw.example/api/snipcart/refunds/pay_1?key=k3y", "https://gw.example/api/snipcart/refunds/pay_1?REDACTED")]
    [InlineData("http://127.0.0.1:1/api/public/custom-payment-gateway/validate?publicToken=tok", "http://127.0.0.1:1/api/public/custom-payment-gateway/validate?REDACTED")]
    [InlineData("https://pay.example/v1/payments/p-1", "https://pay.example/v1/payments/p-1")]
    [InlineData("https://pay.example/v1/x#frag", "https://pay.example/v1/x")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void Urls_keep_their_path_and_lose_their_query(string? url, string? expected)
    {
        Assert.Equal(expected, UrlRedaction.WithoutQuery(url));
    }

    [Fact]
    public void Every_url_attribute_of_a_span_loses_its_query()
    {
        using var activity = new System.Diagnostics.Activity("test");
        activity.SetTag("url.full", "http://h/p?key=secret");
        activity.SetTag("http.url", "http://h/p?publicToken=tok");
        activity.SetTag("url.query", "key=secret");

        UrlRedactionProcessor.Redact(activity);

        Assert.Equal("http://h/p?REDACTED", activity.GetTagItem("url.full"));
        Assert.Equal("http://h/p?REDACTED", activity.GetTagItem("http.url"));
        Assert.Equal("REDACTED", activity.GetTagItem("url.query"));
    }
}
