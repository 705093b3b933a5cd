using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.Snapplify;

public static class SnapplifyServiceCollectionExtensions
{
    /// <summary>
    /// Registers Snapplify Pay as an <see cref="IPaymentProvider"/> singleton, offered when
    /// <c>Providers__Snapplify__Enabled</c> is true and the mode's client and secret are set. Attempts and retries are
    /// budgeted so that an IPN, which takes an ipn/validate and a validate call, is answered within Snapplify's 15 s
    /// (<see cref="SnapplifyTimeouts"/>).
    /// </summary>
    public static IServiceCollection AddSnapplifyProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderOptions<SnapplifyOptions, SnapplifyModeOptions>(configuration, SnapplifyOptions.Section);
        services.AddHttpClient(SnapplifyApi.HttpClientName).AddGatewayResilience(_ => SnapplifyTimeouts.Resilience);
        services.AddSingleton<SnapplifyApi>();
        services.AddSingleton<SnapplifyProvider>();
        services.AddSingleton<IPaymentProvider>(provider => provider.GetRequiredService<SnapplifyProvider>());
        return services;
    }
}
