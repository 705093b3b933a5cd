namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// The gateway as it ships: the published Function App under the real Functions host, on a loopback port, talking
/// over HTTP to the sandbox and to a real Azurite. Several hosts may share one set of tables to play several
/// instances of the app.
/// </summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private GatewayHost(FunctionsHostProcess host) => Host = host;

    public FunctionsHostProcess Host { get; }

    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>What the host and the worker logged.</summary>
    public string Output => Host.Output;

    public static async Task<GatewayHost> StartAsync(int port, IReadOnlyDictionary<string, string?> settings) =>
        new(await FunctionsHostProcess.StartAsync(await FunctionAppPackage.FolderAsync(), port, settings));

    /// <summary>A client that does not follow redirects, so tests see where the gateway sends the shopper.</summary>
    public HttpClient CreateHttpClient(bool followRedirects = false) => Host.CreateHttpClient(followRedirects);

    /// <summary>Runs the reconciliation timer now through the host's admin API; true when the host says it succeeded.</summary>
    public Task<bool> RunReconcileAsync() => Host.RunTimerAsync("Reconcile");

    /// <summary>Kills the instance as a crash would (kill -9 of its process group); dispose it afterwards as usual.</summary>
    public Task KillAsync() => Host.KillAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
