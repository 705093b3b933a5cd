using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// Base of the service tests that need Sandbox Pay's real adapter behind hooks (<see cref="HookedProvider"/>) and the
/// table store behind race hooks (<see cref="RacingStore"/>): one harness per test, on the shared Azurite, with the
/// class's <see cref="Settings"/>.
/// </summary>
public abstract class HookedProviderTests(AzuriteFixture azurite) : IAsyncLifetime
{
    protected PaymentCoreHarness _h = null!;
    protected HookedProvider _provider = null!;
    protected RacingStore _store = null!;

    /// <summary>Settings of the class's harness, over the harness's own.</summary>
    protected virtual IDictionary<string, string?>? Settings => null;

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite, s =>
            {
                PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p));
                PaymentCoreHarness.DecorateStore(s, inner => _store = new RacingStore(inner));
            },
            Settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();
}
