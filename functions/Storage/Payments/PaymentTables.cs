using Azure.Data.Tables;

namespace SnipcartGateway.Storage.Payments;

/// <summary>
/// The tables the gateway keeps, one SDK <see cref="TableClient"/> each (thread-safe, created once). Names carry an
/// optional prefix (Storage:TablePrefix) so several gateways, or test runs, can share one account.
/// </summary>
public sealed class PaymentTables(TableServiceClient service, string prefix)
{
    /// <summary>PK = payment ref, RK = "attempt".</summary>
    public TableClient Attempts { get; } = service.GetTableClient(prefix + "attempts");

    /// <summary>PK = payment ref, RK = refund id.</summary>
    public TableClient Refunds { get; } = service.GetTableClient(prefix + "refunds");

    /// <summary>PK = encoded Snipcart session id, RK = "session".</summary>
    public TableClient Sessions { get; } = service.GetTableClient(prefix + "sessions");

    /// <summary>PK = "unsettled", RK = payment ref: what reconciliation must look at. Written before the attempt
    /// and removed after it settles, so a crash can only leave an extra row, never hide an attempt.</summary>
    public TableClient Unsettled { get; } = service.GetTableClient(prefix + "unsettled");

    /// <summary>PK = provider id, RK = the provider's payment id (encoded when unusual), PaymentRef = ours: how a
    /// notification that names only the provider's id finds its attempt.</summary>
    public TableClient ProviderPaymentIds { get; } = service.GetTableClient(prefix + "providerpaymentids");

    /// <summary>PK = "open", RK = payment ref + "." + refund id: refunds the timer follows until they are final (and
    /// manual ones until the merchant says). Written before the refund, removed once its outcome is accounted for.</summary>
    public TableClient OpenRefunds { get; } = service.GetTableClient(prefix + "openrefunds");

    /// <summary>PK = "s_" + encoded Snipcart session id, "i_" + encoded invoice number or "t_" + encoded cart id
    /// (targetId); RK = payment ref. Insert-only, written when an attempt is recorded: how support finds a payment by
    /// what the merchant has in hand.</summary>
    public TableClient Lookups { get; } = service.GetTableClient(prefix + "lookups");

    /// <summary>PK = payment ref, RK = inverted ticks + random: what support did to a payment, newest first.</summary>
    public TableClient SupportActions { get; } = service.GetTableClient(prefix + "supportactions");

    private readonly SemaphoreSlim _createLock = new(1, 1);
    private volatile bool _created;

    /// <summary>Creates the tables that do not exist yet, once per process.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                foreach (var table in All)
                {
                    await table.CreateIfNotExistsAsync(cancellationToken);
                }
                _created = true;
            }
        }
        finally
        {
            _createLock.Release();
        }
    }

    public IEnumerable<TableClient> All => [Attempts, Refunds, Sessions, Unsettled, ProviderPaymentIds, OpenRefunds, Lookups, SupportActions];
}
