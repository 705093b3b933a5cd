using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Sandbox;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>The sandbox (Snipcart simulator, Sandbox Pay, demo store) on a real loopback port.</summary>
public sealed class SandboxHost : WebApplicationFactory<SnipcartGateway.Sandbox.Program>
{
    public const string SnipcartTestKey = "e2e_snipcart_test_secret";
    public const string SnipcartLiveKey = "e2e_snipcart_live_secret";
    public const string SandboxPaySecret = "e2e_sp_secret";
    public const string SandboxPaySigning = "e2e_sp_signing";
    public const string SnapplifyClient = "e2e_snap_client";
    public const string SnapplifySecret = "e2e_snap_secret_7f3a91";
    public const string SmartpaySecretKey = "sk_test_e2eSmartpaySecretKey";
    /// <summary>Base62, as Smartpay's webhook endpoints answer it.</summary>
    public const string SmartpaySigningSecret = "e2eSmartpaySigningSecret0Base62";

    private readonly int _port;
    private readonly string _gatewayUrl;

    public SandboxHost(int port, string gatewayUrl)
    {
        _port = port;
        _gatewayUrl = gatewayUrl;
        UseKestrel(port);
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    public SandboxState State => Services.GetRequiredService<SandboxState>();

    public SnipcartGateway.Sandbox.Snapplify.SnapplifyState Snapplify => Services.GetRequiredService<SnipcartGateway.Sandbox.Snapplify.SnapplifyState>();
    public SnipcartGateway.Sandbox.Smartpay.SmartpayState Smartpay => Services.GetRequiredService<SnipcartGateway.Sandbox.Smartpay.SmartpayState>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Sandbox:PublicUrl", BaseAddress.ToString().TrimEnd('/'));
        builder.UseSetting("Sandbox:GatewayUrl", _gatewayUrl);
        builder.UseSetting("Sandbox:SecretKeys:Test", SnipcartTestKey);
        builder.UseSetting("Sandbox:SecretKeys:Live", SnipcartLiveKey);
        builder.UseSetting("Sandbox:SandboxPay:SecretKey", SandboxPaySecret);
        builder.UseSetting("Sandbox:SandboxPay:SigningSecret", SandboxPaySigning);
        builder.UseSetting($"Sandbox:Snapplify:Clients:{SnapplifyClient}", SnapplifySecret);
        builder.UseSetting("Sandbox:Snapplify:IpnRetryDelay", "00:00:00.500");
        // The simulator registers the gateway's notification URL (Sandbox:GatewayUrl) with this secret at start-up.
        builder.UseSetting("Sandbox:Smartpay:TestSecretKey", SmartpaySecretKey);
        builder.UseSetting("Sandbox:Smartpay:WebhookSigningSecret", SmartpaySigningSecret);
    }
}
