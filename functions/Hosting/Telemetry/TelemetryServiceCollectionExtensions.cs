using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Hosting.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// OpenTelemetry the way the isolated worker does it (<c>UseFunctionsWorkerDefaults</c>: the function invocation
    /// spans and the Functions resource), plus ASP.NET Core and HttpClient instrumentation, the Azure Tables SDK's
    /// spans, the gateway's meters and its logs; exported to Application Insights and/or OTLP as
    /// <see cref="TelemetryExport"/> decides. With neither exporter configured nothing is registered.
    /// </summary>
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var export = TelemetryExport.From(configuration);
        if (!export.Any)
        {
            return services;
        }
        // The Azure SDK (Tables, Key Vault) emits its operation spans only when asked to.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.SourceName, "Azure.Data.Tables.*")
                .AddAspNetCoreInstrumentation()
                // Not the worker's own gRPC stream to the host: one span as long as the process, about nothing.
                .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = request =>
                    request.RequestUri?.AbsolutePath.StartsWith("/AzureFunctionsRpcMessages.", StringComparison.Ordinal) != true)
                .AddProcessor(new UrlRedactionProcessor()))
            .WithMetrics(metrics => metrics
                .AddMeter(PaymentMetrics.MeterName, UpstreamMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithLogging(configureBuilder: null, configureOptions: options => options.IncludeFormattedMessage = true);

        if (export.Otlp)
        {
            // Endpoint, protocol (http/protobuf) and headers come from the standard OTEL_EXPORTER_OTLP_* settings.
            telemetry.UseOtlpExporter();
        }
        if (export.AzureMonitor)
        {
            var clientId = TelemetryExport.EntraClientId(configuration[TelemetryExport.ApplicationInsightsAuthenticationString]);
            telemetry.UseAzureMonitorExporter(options =>
            {
                // The template disables local auth on Application Insights: the identity signs in instead.
                if (clientId is not null)
                {
                    options.Credential = ManagedIdentity(clientId);
                }
            });
        }
        return services;
    }

    private static TokenCredential ManagedIdentity(string clientId) =>
        clientId.Length == 0
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
}
