using Azure.Data.Tables;

namespace SnipcartGateway.Storage;

/// <summary>
/// Builds the table client at host start so configuration errors fail fast. It does not call the service:
/// a storage outage must not stop the app from starting (the health endpoint reports it instead). The tables
/// themselves are created on first use by <see cref="Payments.TablePaymentStore"/>.
/// </summary>
internal sealed class TableStorageStartupCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = services.GetRequiredService<TableServiceClient>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
