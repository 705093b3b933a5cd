using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace SnipcartGateway.Storage;

/// <summary>
/// Registers the Azure.Data.Tables service client (a thread-safe singleton) and the storage health probe.
/// Settings, first match wins:
/// <list type="number">
/// <item><c>Storage:TableServiceUri</c> (env <c>Storage__TableServiceUri</c>): Entra ID via the <see cref="TokenCredential"/>
/// registered in DI, else <see cref="DefaultAzureCredential"/> with <c>Storage:ClientId</c> as the user-assigned identity.</item>
/// <item><c>Storage:ConnectionString</c> (env <c>Storage__ConnectionString</c>).</item>
/// <item><c>AzureWebJobsStorage</c>: the Function App's own connection string, or its identity-based form
/// <c>AzureWebJobsStorage__tableServiceUri</c> (+ <c>__clientId</c>).</item>
/// </list>
/// A <see cref="TableClientOptions"/> in DI, if any, configures the SDK pipeline (tests use it for transports).
/// </summary>
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddTableStorage(this IServiceCollection services, IConfiguration configuration)
    {
        // The configuration argument is not read here: the client is built from the container's IConfiguration on
        // first use, so overrides added later (WebApplicationFactory, test hosts) are honoured.
        _ = configuration;
        services.AddSingleton(sp => TableStorageFactory.Create(
            sp.GetRequiredService<IConfiguration>(),
            sp.GetService<TokenCredential>(),
            sp.GetService<TableClientOptions>()));
        services.AddSingleton<StorageHealthProbe>();
        // Resolve it when the host starts, so missing or malformed settings stop the app at startup rather than
        // failing the first request that touches storage.
        services.AddHostedService<TableStorageStartupCheck>();
        return services;
    }
}
