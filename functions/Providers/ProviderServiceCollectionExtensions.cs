namespace SnipcartGateway.Providers;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>
    /// The registry over every <see cref="IPaymentProvider"/> registered in DI. Each real provider adds itself
    /// here (its own AddXxxProvider); the test-only Sandbox Pay is added by the sandbox's gateway host alone.
    /// </summary>
    public static IServiceCollection AddPaymentProviders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IProviderRegistry, ProviderRegistry>();
        return services;
    }
}
