using Microsoft.AspNetCore.Server.Kestrel.Core;
using SnipcartGateway.Configuration;
using SnipcartGateway.Hosting.Telemetry;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Storage;
using SnipcartGateway.Support;

namespace SnipcartGateway.Hosting;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Everything the gateway registers, in one place: Program.cs calls it, and so do the in-process service
    /// tests, so both build the same object graph.
    /// </summary>
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.AddTraceId);
        // The worker's Kestrel sits behind the Functions host: it has no reason to name itself.
        services.Configure<KestrelServerOptions>(options => options.AddServerHeader = false);
        services.AddGatewayOptions();
        services.AddSingleton<CheckoutPageFiles>();
        services.AddSingleton<SnipcartGateway.Api.CheckoutStore>();
        services.AddSingleton<CorsPolicy>();
        services.AddReconcileSchedule(configuration);
        services.AddTableStorage(configuration);
        services.AddSnipcartClient(configuration);
        services.AddPaymentProviders(configuration);
        services.AddPayments(configuration);
        services.AddGatewayTelemetry(configuration);
        services.AddSupport(configuration);
        return services;
    }
}
