using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>
/// The sandbox on a real loopback port (Kestrel), so clients under test talk HTTP to it. Its PublicUrl is its
/// own address; GatewayUrl points wherever the test says (a LoopbackServer standing in for the gateway).
/// </summary>
public sealed class SandboxFactory : WebApplicationFactory<SnipcartGateway.Sandbox.Program>
{
    public const string TestKey = "snipcart-test-key";
    public const string LiveKey = "snipcart-live-key";
    public const string SandboxPayKey = "sandboxpay-key";
    public const string SigningSecret = "sandboxpay-signing-secret";
    public const string SnapplifyClient = "snap-client-1";
    public const string SnapplifySecret = "snap-secret-1";

    private readonly string _gatewayUrl;

    private SandboxFactory(string gatewayUrl, int port)
    {
        _gatewayUrl = gatewayUrl;
        Port = port;
        UseKestrel(Port);
    }

    /// <summary>A started sandbox on a free loopback port.</summary>
    public static SandboxFactory Start(string gatewayUrl = "http://127.0.0.1:9")
    {
        var port = AzuriteFixture.FreeTcpPort();
        return KestrelFactory.Start(() => new SandboxFactory(gatewayUrl, port));
    }

    public int Port { get; }

    public string BaseUrl => $"http://localhost:{Port}";

    public SandboxState State => Services.GetRequiredService<SandboxState>();

    /// <summary>A plain client to the sandbox that does not follow redirects.</summary>
    public HttpClient Http() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(BaseUrl) };

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sandbox:PublicUrl"] = BaseUrl,
            ["Sandbox:GatewayUrl"] = _gatewayUrl,
            ["Sandbox:SecretKeys:Test"] = TestKey,
            ["Sandbox:SecretKeys:Live"] = LiveKey,
            ["Sandbox:SandboxPay:SecretKey"] = SandboxPayKey,
            ["Sandbox:SandboxPay:SigningSecret"] = SigningSecret,
            [$"Sandbox:Snapplify:Clients:{SnapplifyClient}"] = SnapplifySecret,
            ["Sandbox:Snapplify:IpnRetryDelay"] = "00:00:00.100",
        }));

    public SnipcartGateway.Sandbox.Snapplify.SnapplifyState Snapplify =>
        Services.GetRequiredService<SnipcartGateway.Sandbox.Snapplify.SnapplifyState>();

    /// <summary>A session built from the documented example invoice, and a live token for it.</summary>
    public (SandboxSession Session, string Token) NewSession(SandboxMode mode = SandboxMode.Test, string currency = "usd")
    {
        var session = State.CreateSession(mode, new SandboxInvoice
        {
            Currency = currency,
            Amount = 69.44m,
            Email = "john.doe@example.com",
            Language = "en",
            BillingAddress = new SandboxAddress { Name = "John Doe", Country = "US", City = "Cuppertino" },
            Items =
            [
                new SandboxItem("Rosy-Fingered Dawn at Louse Point", 49.95m, 1, "Physical", 0m, 49.95m),
                new SandboxItem("Sales tax", 19.49m, 1, "Tax", 0m, 19.49m),
                new SandboxItem("FREE SHIPPING OVER 250$", 0m, 1, "Shipping", 0m, 0m),
            ],
        });
        return (session, State.MintToken(session.Id));
    }
}
