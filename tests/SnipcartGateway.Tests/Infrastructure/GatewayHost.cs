using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// The gateway as the local run starts it (the real app plus the sandbox-only Sandbox Pay provider), on a real
/// loopback port, talking over HTTP to the sandbox and to a real Azurite. Several hosts may share one set of
/// tables to play several processes (one that dies, one that reconciles).
/// </summary>
public sealed class GatewayHost : WebApplicationFactory<SnipcartGateway.Sandbox.Gateway.Program>
{
    private readonly int _port;
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;

    public GatewayHost(int port, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    {
        _port = port;
        _settings = settings;
        _services = services;
        UseKestrel(port);
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    /// <summary>A client that does not follow redirects, so tests see where the gateway sends the shopper.</summary>
    public HttpClient CreateHttpClient(bool followRedirects = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects }) { BaseAddress = BaseAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        if (_services is not null)
        {
            builder.ConfigureTestServices(_services);
        }
    }
}
