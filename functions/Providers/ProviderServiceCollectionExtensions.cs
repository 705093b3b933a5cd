using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Providers.JpmSmartPay;
using SnipcartGateway.Providers.SandboxPay;
using SnipcartGateway.Providers.Snapplify;
using SnipcartGateway.Providers.Smartpay;
using SnipcartGateway.Providers.SandboxWidget;

namespace SnipcartGateway.Providers;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// Every provider the package ships, and the registry over them. Each provider registers itself (its own
    /// AddXxxProvider) and is offered only when its settings enable it; Sandbox Pay and Sandbox Widget are test-only and off by default.
    /// </summary>
    public static IServiceCollection AddPaymentProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSandboxPayProvider(configuration);
        services.AddSnapplifyProvider(configuration);
        services.AddSmartpayProvider(configuration);
        services.AddSandboxWidgetProvider(configuration);
        services.AddJpmSmartPayProvider(configuration);
        services.AddSingleton<IProviderRegistry, ProviderRegistry>();
        // Health-aware payment-methods list: fed by the outbound clients' outcomes (Hosting/OutboundHttp).
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UpstreamHealth>();
        services.TryAddSingleton<UpstreamMetrics>();
        services.AddSingleton<HealthAwareProviders>();
        return services;
    }
}
