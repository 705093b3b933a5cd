using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using SnipcartGateway.Storage.Tables;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>
/// The real gateway app with the settings start-up requires and a Moq table service (Table Storage is
/// someone else's client; these tests only need PingAsync). Other tests can reuse it.
/// </summary>
public sealed class GatewayAppFactory : WebApplicationFactory<SnipcartGateway.Program>
{
    public Mock<ITableServiceClient> Tables { get; } = new();

    public GatewayAppFactory()
    {
        Tables.Setup(t => t.PingAsync(It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // WebApplicationFactory points the content root at functions/, which has no wwwroot (the checkout page
        // is linked in at build time); the test output has the same layout as the published handler.
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.UseSetting("Gateway:PublicBaseUrl", "https://gateway.test");
        builder.UseSetting("Snipcart:SecretKeys:Test", "test_secret");
        builder.UseSetting("Snipcart:SecretKeys:Live", "live_secret");
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ITableServiceClient>();
            services.AddSingleton(Tables.Object);
        });
    }
}

internal static class ServiceCollectionTestExtensions
{
    public static void RemoveAll<T>(this IServiceCollection services)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(T)).ToList())
        {
            services.Remove(descriptor);
        }
    }
}
