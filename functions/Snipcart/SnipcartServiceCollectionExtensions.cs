using Microsoft.Extensions.Options;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Snipcart;

public static class SnipcartServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISnipcartClient"/> from the <c>Snipcart</c> section (Snipcart__ApiBaseUrl,
    /// Snipcart__SecretKeys__Test / __Live, Snipcart__Timeout, Snipcart__ReadTimeout, Snipcart__RetryCount, Snipcart__RetryDelay),
    /// validated at start-up.
    /// </summary>
    public static IServiceCollection AddSnipcartClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SnipcartOptions>()
            .Bind(configuration.GetSection(SnipcartOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SnipcartOptions>, SnipcartOptionsValidator>();

        services.AddHttpClient<ISnipcartClient, SnipcartClient>()
            // The default request logs would print the URL, whose query is the public token.
            .RemoveAllLoggers()
            // Timeouts, circuit breaker, and retries of the GETs only: POST /payment has no idempotency key,
            // so RetryPolicy sends it exactly once.
            .AddGatewayResilience(provider =>
            {
                var settings = provider.GetRequiredService<IOptionsMonitor<SnipcartOptions>>().CurrentValue;
                return new GatewayResilienceSettings(settings.Timeout)
                {
                    Retries = settings.RetryCount,
                    RetryDelay = settings.RetryDelay,
                    RetryableAttemptTimeout = settings.ReadTimeout < settings.Timeout ? settings.ReadTimeout : settings.Timeout,
                };
            });
        return services;
    }
}
