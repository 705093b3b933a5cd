using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>
/// The real gateway app with the settings start-up requires and a Moq Azure.Data.Tables service client (these
/// tests only need the health probe's one query). Other tests can reuse it.
/// </summary>
public sealed class GatewayAppFactory : WebApplicationFactory<SnipcartGateway.Program>
{
    public Mock<TableServiceClient> Tables { get; } = new();

    public GatewayAppFactory()
    {
        StorageAnswers(_ => Task.CompletedTask);
    }

    /// <summary>Makes the table service's list-tables query (the health probe) run <paramref name="call"/> before
    /// answering with an empty page, so a test can make it fail or hang.</summary>
    public void StorageAnswers(Func<CancellationToken, Task> call) =>
        Tables.Setup(t => t.QueryAsync(It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<CancellationToken>()))
            .Returns((string _, int? _, CancellationToken ct) => new OnePagePageable(call, ct));

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
            services.RemoveAll<TableServiceClient>();
            services.AddSingleton(Tables.Object);
        });
    }
}

/// <summary>One empty page of tables, served after <c>call</c> completes.</summary>
internal sealed class OnePagePageable(Func<CancellationToken, Task> call, CancellationToken cancellationToken) : AsyncPageable<TableItem>(cancellationToken)
{
    public override async IAsyncEnumerable<Page<TableItem>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        await call(CancellationToken);
        yield return Page<TableItem>.FromValues([], null, Mock.Of<Response>());
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
