using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.Smartpay;

public static class SmartpayServiceCollectionExtensions
{
    /// <summary>
    /// Registers Smartpay as an <see cref="IPaymentProvider"/>: off unless <c>Providers__Smartpay__Enabled</c>, its
    /// settings validated at start-up (a live key in test mode, or the reverse, stops it), and a named HttpClient with
    /// the gateway's resilience: <c>Providers__Smartpay__Timeout</c> per attempt and one retry, as Smartpay's SDKs
    /// retry once on a 5xx (for reads and keyed writes only: see RetryPolicy).
    /// </summary>
    public static IServiceCollection AddSmartpayProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderOptions<SmartpayOptions, SmartpayModeOptions>(configuration, SmartpayOptions.Section)
            .PostConfigure(o => o.ApplyApiBaseUrl());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SmartpayClient.HttpClientName).AddGatewayResilience(provider =>
            new GatewayResilienceSettings(provider.GetRequiredService<IOptions<SmartpayOptions>>().Value.Timeout) { Retries = 1 });
        services.AddSingleton<SmartpayClient>();
        services.AddSingleton<SmartpayProvider>();
        services.AddSingleton<IPaymentProvider>(provider => provider.GetRequiredService<SmartpayProvider>());
        return services;
    }
}
