using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Hosting;

/// <summary>A small in-memory app with the gateway's hosting pipeline and endpoints of the test's choosing.</summary>
internal static class TestApps
{
    public static async Task<WebApplication> StartAsync(Action<WebApplication> map, IDictionary<string, string?>? settings = null, string environment = "Production")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:PublicBaseUrl"] = "https://gateway.test",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.Services.AddGatewayHosting();
        var app = builder.Build();
        app.UseGatewayHosting();
        map(app);
        await app.StartAsync();
        return app;
    }
}
