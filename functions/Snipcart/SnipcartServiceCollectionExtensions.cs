using Microsoft.Extensions.Options;

namespace SnipcartGateway.Snipcart;

public static class SnipcartServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISnipcartClient"/> from the <c>Snipcart</c> section (Snipcart__ApiBaseUrl,
    /// Snipcart__SecretKeys__Test / __Live, Snipcart__Timeout), validated at start-up.
    /// </summary>
    public static IServiceCollection AddSnipcartClient(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SnipcartOptions>()
            .Bind(configuration.GetSection(SnipcartOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SnipcartOptions>, SnipcartOptionsValidator>();
        services.AddTransient<SnipcartRetryHandler>();

        services.AddHttpClient<ISnipcartClient, SnipcartClient>((provider, http) =>
            {
                // Per-attempt timeouts are the retry handler's; this only caps the whole call, retries included.
                var settings = provider.GetRequiredService<IOptionsMonitor<SnipcartOptions>>().CurrentValue;
                http.Timeout = settings.Timeout * (settings.RetryCount + 1) + settings.RetryDelay * Math.Pow(2, settings.RetryCount + 1) + TimeSpan.FromSeconds(1);
            })
            // The default request logs would print the URL, whose query is the public token.
            .RemoveAllLoggers()
            .AddHttpMessageHandler<SnipcartRetryHandler>();
        return services;
    }
}
