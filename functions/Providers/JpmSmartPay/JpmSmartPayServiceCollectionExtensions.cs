using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.JpmSmartPay;

public static class JpmSmartPayServiceCollectionExtensions
{
    /// <summary>
    /// Registers SmartPay by J.P. Morgan (off unless <c>Providers__JpmSmartPay__Enabled</c>). Two named clients: the
    /// API's, with the authentication step inside the resilience pipeline (each attempt authenticated anew) and the
    /// 90-second attempt timeout the docs recommend; and the OAuth token endpoint's.
    /// </summary>
    public static IServiceCollection AddJpmSmartPayProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderOptions<JpmSmartPayOptions, JpmSmartPayModeOptions>(configuration, JpmSmartPayOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JpmSmartPayTokenSource>();
        services.AddTransient<JpmSmartPayAuthenticationHandler>();
        services.AddHttpClient(JpmSmartPayTokenSource.HttpClientName).AddGatewayResilience(attemptTimeout: TimeSpan.FromSeconds(30));
        services.AddHttpClient(JpmSmartPayClient.HttpClientName)
            .AddGatewayResilience(attemptTimeout: JpmSmartPayClient.AttemptTimeout)
            .AddHttpMessageHandler<JpmSmartPayAuthenticationHandler>();
        services.AddSingleton<JpmSmartPayClient>();
        services.AddSingleton<JpmSmartPayProvider>();
        services.AddSingleton<IPaymentProvider>(provider => provider.GetRequiredService<JpmSmartPayProvider>());
        return services;
    }
}
