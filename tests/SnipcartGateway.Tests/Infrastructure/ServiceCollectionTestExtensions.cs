using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Tests.Infrastructure;

public static class ServiceCollectionTestExtensions
{
    /// <summary>Wraps the app's real Snipcart client (a typed HttpClient) in a test decorator.</summary>
    public static IServiceCollection DecorateSnipcart(this IServiceCollection services, Func<ISnipcartClient, ISnipcartClient> decorate)
    {
        var original = services.Last(d => d.ServiceType == typeof(ISnipcartClient));
        services.Remove(original);
        services.AddTransient(sp =>
        {
            var inner = original.ImplementationFactory is { } factory
                ? (ISnipcartClient)factory(sp)
                : (ISnipcartClient)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
            return decorate(inner);
        });
        return services;
    }
}
