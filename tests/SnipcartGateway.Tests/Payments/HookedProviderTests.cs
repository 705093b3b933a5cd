using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// Base of the service tests that need Sandbox Pay's real adapter behind hooks (<see cref="HookedProvider"/>): one
/// harness per test, on the shared Azurite.
/// </summary>
public abstract class HookedProviderTests(AzuriteFixture azurite) : IAsyncLifetime
{
    protected PaymentCoreHarness _h = null!;
    protected HookedProvider _provider = null!;

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite, s => PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();
}
