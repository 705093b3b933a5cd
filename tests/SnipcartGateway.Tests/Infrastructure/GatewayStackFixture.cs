namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// One shared stack for every HTTP-level test: Azurite (blob, queue, table), the sandbox and the published gateway
/// under the real Functions host. Starting the host takes several seconds, so test classes share it and keep apart
/// by using their own Snipcart sessions; a test that needs other settings starts an extra gateway instance on the
/// same tables (<see cref="GatewayHarness.StartGatewayAsync"/>) and stops it with <see cref="GatewayHarness.StopGatewayAsync"/>.
/// </summary>
public sealed class GatewayStackFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public GatewayHarness Harness { get; private set; } = null!;

    public AzuriteFixture Azurite => _azurite;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Harness = await GatewayHarness.StartAsync(_azurite);
    }

    public async Task DisposeAsync()
    {
        if (Harness is not null)
        {
            await Harness.DisposeAsync();
        }
        await _azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayStackCollection : ICollectionFixture<GatewayStackFixture>
{
    public const string Name = "Gateway under the Functions host";
}
