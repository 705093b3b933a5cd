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

    public IEnumerable<TableClient> All => [Attempts, Refunds, Sessions, Unsettled, ProviderPaymentIds, OpenRefunds];
}
