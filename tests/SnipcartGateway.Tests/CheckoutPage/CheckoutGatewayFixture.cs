using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.CheckoutPage.Fakes;

namespace SnipcartGateway.Tests.CheckoutPage;

/// <summary>
/// The real gateway on a real loopback port (a browser cannot reach the in-memory TestServer), with Snipcart and
/// the provider registry replaced by fakes. One per test class; tests register their own sessions.
/// </summary>
public sealed class CheckoutGatewayFixture : IAsyncLifetime
{
    private GatewayFactory? _factory;

    public FakeSnipcartClient Snipcart { get; } = new();

    public Uri BaseAddress { get; private set; } = null!;

    public Task InitializeAsync()
    {
        // The port is only known once Kestrel listens, but the gateway wants its own public URL up front:
        // reserve a free one first.
        var port = Infrastructure.AzuriteFixture.FreeTcpPort();
        // A subclass rather than WithWebHostBuilder: a derived factory ignores UseKestrel's port.
        var factory = Infrastructure.KestrelFactory.Start(() =>
        {
            var f = new GatewayFactory($"http://127.0.0.1:{port}", Snipcart);
            f.UseKestrel(port);
            return f;
        });
        _factory = factory;

        var server = factory.Services.GetRequiredService<IServer>();
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Kestrel reported no address.");
        BaseAddress = new Uri(bound.Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
        return Task.CompletedTask;
    }

    public HttpClient CreateClient(bool followRedirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress };

    /// <summary>The checkout URL Snipcart would send the shopper to for this token.</summary>
    public string CheckoutUrl(string token, string mode = "test") =>
        new Uri(BaseAddress, $"checkout/?provider={FakeProviders.Id}&mode={mode}&publicToken={Uri.EscapeDataString(token)}").ToString();

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    private sealed class GatewayFactory(string publicBaseUrl, FakeSnipcartClient snipcart) : WebApplicationFactory<SnipcartGateway.Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Gateway:PublicBaseUrl", publicBaseUrl);
            // Not used by these tests (they never touch storage), but the app may read it at startup.
            builder.UseSetting("AzureWebJobsStorage", "UseDevelopmentStorage=true");
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<ISnipcartClient>();
                services.AddSingleton<ISnipcartClient>(snipcart);
                services.RemoveAll<IProviderRegistry>();
                services.AddSingleton(FakeProviders.Registry());
            });
        }
    }
}
