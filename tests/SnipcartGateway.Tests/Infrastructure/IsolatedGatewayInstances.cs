namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// Gateway instances under the Functions host on tables of their own, for tests that run the reconciliation timer
/// (a run looks at every unsettled payment in its tables, and the counts in its report must be the test's own) or
/// that kill an instance. The timer runs only when a test asks the host's admin API, and nothing is too fresh to
/// reconcile. Disposing stops every instance still running.
/// </summary>
public sealed class IsolatedGatewayInstances(GatewayHarness harness) : IAsyncDisposable
{
    /// <summary>Once a year: the timer runs when a test asks the admin API, never on its own mid-test.</summary>
    private const string NeverDuringATest = "0 0 0 1 1 *";

    private readonly List<GatewayHost> _instances = [];

    public string Tables { get; } = "r" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>The settings every instance of the test gets, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:TablePrefix"] = Tables,
            ["Reconcile:Schedule"] = NeverDuringATest,
            // Nothing is too fresh to reconcile: no waiting for the shopper who might still be at the provider.
            ["Payments:ReconcileAfter"] = "00:00:00",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }
        return settings;
    }

    /// <summary>A gateway instance on the test's tables.</summary>
    public async Task<GatewayHost> StartAsync(params (string Key, string Value)[] settings)
    {
        var instance = await harness.StartGatewayAsync(settings: Settings(settings));
        _instances.Add(instance);
        return instance;
    }

    /// <summary>The gateway's services in this process, on the test's tables: to read what was stored.</summary>
    public InProcessGateway InProcess() => InProcessGateway.For(harness, Settings());

    /// <summary>Runs the timer through the host's admin API, checks the host says it succeeded, and returns its report line.</summary>
    public static async Task<string> RunTimerAsync(GatewayHost gateway)
    {
        var before = gateway.Host.Lines.Count;
        Assert.True(await gateway.RunReconcileAsync(), "The host logged the Reconcile run as failed:\n" + gateway.Output);
        return await gateway.Host.WaitForLineAsync("Reconciliation examined", TimeSpan.FromSeconds(15), before);
    }

    /// <summary>Waits until a lease taken at <paramref name="takenBy"/> (or earlier) is over.</summary>
    public static async Task LeaseOverAsync(DateTimeOffset takenBy, TimeSpan lease)
    {
        var wait = takenBy + lease + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await harness.StopGatewayAsync(instance);
        }
        _instances.Clear();
    }
}
