using Azure.Data.Tables;
using SnipcartGateway.Storage;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class StorageHealthProbeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Up_when_Azurite_answers()
    {
        var probe = new StorageHealthProbe(new TableServiceClient(azurite.ConnectionString, StorageTestSupport.FastOptions()));

        Assert.Equal(StorageHealth.Up, await probe.CheckAsync());
    }

    [Fact]
    public async Task Down_with_the_service_error_code_when_the_key_is_wrong()
    {
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var probe = new StorageHealthProbe(new TableServiceClient(wrongKey, StorageTestSupport.FastOptions()));

        var health = await probe.CheckAsync();

        // Azurite puts its AuthorizationFailure code only in an XML body, which the SDK does not read for the
        // table service (Azure also sends it as x-ms-error-code); the status is what is left, never the message.
        Assert.Equal(StorageHealth.Down("Http403"), health);
    }

    [Fact]
    public async Task Down_as_unreachable_when_nothing_listens()
    {
        var nowhere = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};" +
                      $"TableEndpoint=http://127.0.0.1:{AzuriteFixture.FreeTcpPort()}/{AzuriteFixture.AccountName};";
        var probe = new StorageHealthProbe(new TableServiceClient(nowhere, StorageTestSupport.FastOptions()));

        var health = await probe.CheckAsync();

        Assert.Equal(StorageHealth.Down("Unreachable"), health);
    }
}
