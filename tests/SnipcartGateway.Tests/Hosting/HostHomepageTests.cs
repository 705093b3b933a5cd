using System.Net;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>
/// The host's own surface with <c>AzureWebJobsDisableHomepage=true</c> (as in infra/main.bicep and the local run):
/// <c>GET /</c> is no longer the host's 200 "Your Functions app is up and running" page but an empty 204.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class HostHomepageTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task The_root_is_not_the_hosts_home_page()
    {
        using var client = _h.Gateway.CreateHttpClient();
        using var response = await client.GetAsync("");
        var body = await response.Content.ReadAsStringAsync();

        // The host's HomepageMiddleware answers an empty 204 instead of its HTML page when the setting is true.
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("", body);
    }
}
