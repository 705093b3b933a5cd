using Azure.Core;
using Moq;
using SnipcartGateway.Storage.Tables;

namespace SnipcartGateway.Tests.Storage.Tables;

public sealed class TableBearerAuthTests
{
    internal static Mock<TokenCredential> Credential(string token)
    {
        var credential = new Mock<TokenCredential>();
        var accessToken = new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        credential.Setup(c => c.GetTokenAsync(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>())).ReturnsAsync(accessToken);
        credential.Setup(c => c.GetToken(It.IsAny<TokenRequestContext>(), It.IsAny<CancellationToken>())).Returns(accessToken);
        return credential;
    }

    [Fact]
    public async Task Requests_carry_a_bearer_token_for_the_storage_scope()
    {
        using var server = new LoopbackHttpServer(body: "{\"value\":[]}");
        var credential = Credential("token-123");
        var options = new TableClientOptions { Transport = HttpsToLoopbackTransport.To(server.BaseUri) };
        var service = new TableServiceClient(new Uri("https://shop.table.core.windows.net"), credential.Object, options);

        await service.PingAsync();
        await service.GetTableClient("orders").QueryAsync(TableFilter.Equal("PartitionKey", "p")).ToListAsync();

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("Bearer token-123", r.Headers["Authorization"]);
            Assert.Equal("2020-12-06", r.Headers["x-ms-version"]);
            Assert.False(r.Headers.ContainsKey("x-ms-date") && r.Headers["Authorization"].StartsWith("SharedKey", StringComparison.Ordinal));
        });
        Assert.Equal(["/Tables?$top=1", "/orders()?$filter=PartitionKey%20eq%20%27p%27"], server.Requests.Select(r => r.RawUrl));
        credential.Verify(c => c.GetTokenAsync(
            It.Is<TokenRequestContext>(t => t.Scopes.SequenceEqual(new[] { "https://storage.azure.com/.default" })),
            It.IsAny<CancellationToken>()), Times.AtLeastOnce());
    }
}
