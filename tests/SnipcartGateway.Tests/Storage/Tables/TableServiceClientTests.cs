using Azure;
using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableServiceClientTests(AzuriteFixture azurite)
{
    private const string WrongKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";

    [Fact]
    public async Task Ping_succeeds_with_the_right_key()
    {
        var service = new TableServiceClient(azurite.ConnectionString, TableTestSupport.FastOptions());

        await service.PingAsync();
    }

    [Fact]
    public async Task A_wrong_key_fails_with_403_and_the_service_error_code()
    {
        var service = new TableServiceClient(azurite.TableEndpoint,
            new TableSharedKeyCredential(AzuriteFixture.AccountName, WrongKey), TableTestSupport.FastOptions());

        var ping = await Assert.ThrowsAsync<RequestFailedException>(() => service.PingAsync());
        var insert = await Assert.ThrowsAsync<RequestFailedException>(
            () => service.GetTableClient(AzuriteFixture.UniqueTableName()).CreateIfNotExistsAsync());

        foreach (var ex in new[] { ping, insert })
        {
            Assert.Equal(403, ex.Status);
            Assert.Equal("AuthorizationFailure", ex.ErrorCode);
            Assert.DoesNotContain(WrongKey, ex.Message);
        }
    }

    [Fact]
    public void Invalid_table_names_are_refused()
    {
        var service = new TableServiceClient(azurite.ConnectionString);

        Assert.Throws<ArgumentException>(() => service.GetTableClient("ab"));
        Assert.Throws<ArgumentException>(() => service.GetTableClient("1abc"));
        Assert.Throws<ArgumentException>(() => service.GetTableClient("has-dash"));
        Assert.Equal("Orders2025", service.GetTableClient("Orders2025").Name);
    }
}
