namespace SnipcartGateway.Providers;

// SKELETON: the payment flow work fills this in.
public static class ProviderServiceCollectionExtensions
{
    public static IServiceCollection AddPaymentProviders(this IServiceCollection services, IConfiguration configuration) => services;
}
