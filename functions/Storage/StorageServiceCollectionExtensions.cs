namespace SnipcartGateway.Storage;

// SKELETON: owned by the Table Storage work. Registers ITableServiceClient from AzureWebJobsStorage /
// Storage__ConnectionString / Storage__TableServiceUri.
public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddTableStorage(this IServiceCollection services, IConfiguration configuration) => services;
}
