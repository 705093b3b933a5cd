using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Api;
using SnipcartGateway.Hosting;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Api;

/// <summary>
/// GET /api/health: under the Functions host against Azurite (healthy) and with table storage on a dead port
/// (unhealthy, while the host's own AzureWebJobsStorage stays good); the storage failures a host cannot stage
/// cheaply (a hanging or refusing account) through the function's handler, with real sockets and a real Azurite.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class HealthApiTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    private static string DeadTableStorage(int port) =>
        $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};" +
        $"TableEndpoint=http://127.0.0.1:{port}/{AzuriteFixture.AccountName};";

    [Fact]
    public async Task Healthy_with_the_version_when_storage_answers()
    {
        using var client = _h.Gateway.CreateHttpClient();

        var response = await client.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("up", body.GetProperty("storage").GetString());
        AssertVersion(body);
    }

    [Fact]
    public async Task Unhealthy_with_an_error_code_and_no_message_when_table_storage_is_down()
    {
        var port = AzuriteFixture.FreeTcpPort();
        var settings = _h.GatewaySettings(port);
        // Nothing listens there; the host's own storage (AzureWebJobsStorage) stays on Azurite, so it starts.
        var deadPort = AzuriteFixture.FreeTcpPort();
        settings["Storage:ConnectionString"] = DeadTableStorage(deadPort);
        // Health answers 503 on this instance, so wait for the page instead.
        await using var host = await FunctionsHostProcess.StartAsync(await FunctionAppPackage.FolderAsync(), port, settings, readyPath: "checkout/index.html");
        using var client = host.CreateHttpClient();

        var response = await client.GetAsync("api/health");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode} {text}\n{host.Output}");
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("down", body.GetProperty("storage").GetString());
        AssertVersion(body);
        Assert.Equal("Unreachable", body.GetProperty("error").GetString());
        // A code, never the exception's message: that names hosts, ports and accounts.
        Assert.DoesNotContain(deadPort.ToString(), text);
        Assert.DoesNotContain("127.0.0.1", text);
        Assert.DoesNotContain(AzuriteFixture.AccountName, text);
        Assert.DoesNotContain("refused", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unhealthy_with_the_storage_error_code_but_not_its_message_when_the_account_key_is_wrong()
    {
        // The real Azurite, with a key it refuses: its answer names the account in the message and gives a code.
        var wrongKey = stack.Azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        await using var gateway = InProcessGateway.For(_h, Storage(wrongKey));

        var answer = await CheckAsync(gateway);

        Assert.Equal(503, answer.Status);
        var text = answer.Body;
        var body = answer.Json;
        Assert.Equal("down", body.GetProperty("storage").GetString());
        // Azure sends the code in x-ms-error-code; Azurite only in its XML body, which the SDK does not read there.
        Assert.Contains(body.GetProperty("error").GetString(), new[] { "AuthorizationFailure", "AuthenticationFailed", "Http403" });
        Assert.DoesNotContain(AzuriteFixture.AccountName, text);
    }

    [Fact]
    public async Task Unhealthy_with_an_error_code_when_nothing_listens_for_table_storage()
    {
        var deadPort = AzuriteFixture.FreeTcpPort();
        await using var gateway = InProcessGateway.For(_h, Storage(DeadTableStorage(deadPort)));

        var answer = await CheckAsync(gateway);

        // Azure.Core retries, then throws an AggregateException of the refusals: still a 503 with a code.
        Assert.True(answer.Status == 503, $"{answer.Status} {answer.Body}");
        Assert.Equal("down", answer.Json.GetProperty("storage").GetString());
        Assert.Equal("Unreachable", answer.Json.GetProperty("error").GetString());
        Assert.DoesNotContain(deadPort.ToString(), answer.Body);
    }

    [Fact]
    public async Task Unhealthy_within_five_seconds_when_storage_hangs()
    {
        // A socket that accepts connections and never answers: the health check must not wait for it.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true) { accepted.Add(await blackHole.AcceptTcpClientAsync(stop.Token)); }
            }
            catch (OperationCanceledException)
            {
            }
        });
        try
        {
            await using var gateway = InProcessGateway.For(_h, Storage(DeadTableStorage(((IPEndPoint)blackHole.LocalEndpoint).Port)));
            var started = DateTime.UtcNow;

            var answer = await CheckAsync(gateway);

            Assert.Equal(503, answer.Status);
            Assert.Equal("Timeout", answer.Json.GetProperty("error").GetString());
            Assert.InRange(DateTime.UtcNow - started, HealthApi.StorageTimeout - TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(15));
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            accepted.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// The gateway's version, e.g. "0.2.0+3a1ad8d...". Only the part before "+" is compared: the source-revision
    /// suffix is the commit the app was published from, which moves when a commit lands between build and publish.
    /// </summary>
    private static void AssertVersion(JsonElement body)
    {
        var version = body.GetProperty("version").GetString()!;
        Assert.Matches(@"^\d+\.\d+\.\d+", version);
        Assert.Equal(GatewayInfo.Version.Split('+')[0], version.Split('+')[0]);
    }

    /// <summary>The gateway's tables elsewhere; the host's own storage setting is irrelevant in process.</summary>
    private static Dictionary<string, string?> Storage(string connectionString) => new() { ["Storage:ConnectionString"] = connectionString };

    /// <summary>The Health function's handler on these services, its result executed as the worker would.</summary>
    private static Task<InProcessGateway.Answer> CheckAsync(InProcessGateway gateway) =>
        gateway.InvokeAsync(_ => HealthApi.CheckAsync(gateway.Services, gateway.Get<ILoggerFactory>(), CancellationToken.None), new { });
}
