namespace SnipcartGateway.Snipcart;

// SKELETON: owned by the Snipcart client work. Registers ISnipcartClient from Snipcart__ApiBaseUrl and
// Snipcart__SecretKeys__Test / __Live.
public static class SnipcartServiceCollectionExtensions
{
    public static IServiceCollection AddSnipcartClient(this IServiceCollection services, IConfiguration configuration) => services;
}
