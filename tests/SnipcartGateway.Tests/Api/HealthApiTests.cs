using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure;
using SnipcartGateway.Hosting;
using SnipcartGateway.Tests.Hosting;

namespace SnipcartGateway.Tests.Api;

public sealed class HealthApiTests : IDisposable
{
    private readonly GatewayAppFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Healthy_when_storage_answers()
    {
        var response = await _factory.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal("up", body.GetProperty("storage").GetString());
        Assert.Equal(ReadinessEndpoint.Version, body.GetProperty("version").GetString());
        Assert.StartsWith("0.1.0", ReadinessEndpoint.Version);
    }

    [Fact]
    public async Task Unhealthy_with_the_error_code_but_not_the_message_when_storage_fails()
    {
        _factory.StorageAnswers(_ => Task.FromException(
            new RequestFailedException(403, "Server failed to authenticate devstoreaccount1 key=abc", "AuthenticationFailed", null)));

        var response = await _factory.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal("down", body.GetProperty("storage").GetString());
        Assert.Equal("AuthenticationFailed", body.GetProperty("error").GetString());
        Assert.DoesNotContain("devstoreaccount1", text);
    }

    [Fact]
    public async Task Unhealthy_within_five_seconds_when_storage_hangs()
    {
        _factory.StorageAnswers(ct => Task.Delay(Timeout.Infinite, ct));
        var started = DateTime.UtcNow;

        var response = await _factory.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Timeout", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(15));
    }
}
