using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.Equal(GatewayInfo.Version, body.GetProperty("version").GetString());
        Assert.StartsWith("0.1.0", GatewayInfo.Version);
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

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("down", body.GetProperty("storage").GetString());
        Assert.Equal(GatewayInfo.Version, body.GetProperty("version").GetString());
        var error = body.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.DoesNotContain(" ", error);
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
        using var services = InProcessGateway.Build(InProcessGateway.Settings(wrongKey));

        var (status, text, _) = await CheckAsync(services);

        Assert.Equal(503, status);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("down", body.GetProperty("storage").GetString());
        Assert.Equal("AuthorizationFailure", body.GetProperty("error").GetString());
        Assert.DoesNotContain(AzuriteFixture.AccountName, text);
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
            using var services = InProcessGateway.Build(InProcessGateway.Settings(DeadTableStorage(((IPEndPoint)blackHole.LocalEndpoint).Port)));
            var started = DateTime.UtcNow;

            var (status, text, _) = await CheckAsync(services);

            Assert.Equal(503, status);
            Assert.Equal("Timeout", JsonDocument.Parse(text).RootElement.GetProperty("error").GetString());
            Assert.InRange(DateTime.UtcNow - started, HealthApi.StorageTimeout - TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(15));
        }
        finally
        {
            await stop.CancelAsync();
            await accepting;
            accepted.ForEach(c => c.Dispose());
        }
    }

    private static async Task<(int Status, string Body, Microsoft.AspNetCore.Http.IHeaderDictionary Headers)> CheckAsync(ServiceProvider services)
    {
        var result = await HealthApi.CheckAsync(services, services.GetRequiredService<ILoggerFactory>(), CancellationToken.None);
        return await InProcessGateway.ExecuteAsync(result, services);
    }
}
