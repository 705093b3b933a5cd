using Azure;
using SnipcartGateway.Storage.Tables;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Storage.Tables;

/// <summary>
/// Service behaviours Azurite does not produce on demand (empty pages with a continuation, error bodies without
/// the x-ms-error-code header), played by a loopback server.
/// </summary>
public sealed class TableProtocolTests
{
    private static TableServiceClient Client(LoopbackHttpServer server) => new(
        new Uri(server.BaseUri, AzuriteFixture.AccountName),
        new TableSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey),
        TableTestSupport.FastOptions());

    private static string Page(params string[] rowKeys) =>
        "{\"value\":[" + string.Join(",", rowKeys.Select(r => $"{{\"PartitionKey\":\"p\",\"RowKey\":\"{r}\"}}")) + "]}";

    [Fact]
    public async Task An_empty_page_with_a_continuation_is_followed_by_repeating_the_url_with_the_tokens()
    {
        using var server = new LoopbackHttpServer();
        server.Respond = request => server.Requests.Count switch
        {
            1 => new(200, Page("a"), new Dictionary<string, string>
            {
                ["x-ms-continuation-NextPartitionKey"] = "1!4!cA--",
                ["x-ms-continuation-NextRowKey"] = "1!4!Yg--",
            }),
            2 => new(200, Page(), new Dictionary<string, string> { ["x-ms-continuation-NextPartitionKey"] = "1!4!cQ--" }),
            _ => new(200, Page("b", "c")),
        };

        var rows = await Client(server).GetTableClient("orders")
            .QueryAsync("Amount gt 5", maxPerPage: 10, select: ["Amount", "RowKey"]).ToListAsync();

        Assert.Equal(["a", "b", "c"], rows.Select(r => r.RowKey));
        const string Url = "/devstoreaccount1/orders()?$filter=Amount%20gt%205&$top=10&$select=Amount%2CRowKey";
        Assert.Equal(
            [Url, Url + "&NextPartitionKey=1%214%21cA--&NextRowKey=1%214%21Yg--", Url + "&NextPartitionKey=1%214%21cQ--"],
            server.Requests.Select(r => r.RawUrl));
    }

    [Fact]
    public async Task The_error_code_comes_from_a_JSON_body_when_the_header_is_missing()
    {
        using var server = new LoopbackHttpServer(409,
            "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"The specified entity already exists.\"}}}");

        var ex = await Assert.ThrowsAsync<RequestFailedException>(
            () => Client(server).GetTableClient("orders").AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, ex.Status);
        Assert.Equal("EntityAlreadyExists", ex.ErrorCode);
        Assert.Contains("The specified entity already exists.", ex.Message);
    }

    [Fact]
    public async Task The_error_code_comes_from_an_XML_body_when_the_header_is_missing()
    {
        using var server = new LoopbackHttpServer(403,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthenticationFailed</Code><Message>Signature did not match.</Message></Error>",
            "application/xml");

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => Client(server).PingAsync());

        Assert.Equal(403, ex.Status);
        Assert.Equal("AuthenticationFailed", ex.ErrorCode);
    }

    [Fact]
    public async Task The_header_error_code_wins_and_a_bodiless_failure_still_throws()
    {
        using var server = new LoopbackHttpServer(412, "");
        server.Respond = _ => new(412, "", new Dictionary<string, string> { ["x-ms-error-code"] = "UpdateConditionNotSatisfied" });

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => Client(server).GetTableClient("orders")
            .DeleteEntityAsync("p", "r", new ETag("W/\"datetime'2025-01-01T00%3A00%3A00Z'\"")));

        Assert.Equal(TableErrors.UpdateConditionNotSatisfied, ex.ErrorCode);
        Assert.Equal("W/\"datetime'2025-01-01T00%3A00%3A00Z'\"", server.Requests.Single().Headers["If-Match"]);
    }
}
