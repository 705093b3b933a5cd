using SnipcartGateway.Sandbox.Gateway.SandboxPay;

namespace SnipcartGateway.Sandbox.Gateway;

/// <summary>The gateway as the local run starts it: the real app plus the test-only Sandbox Pay provider.</summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = GatewayApp.CreateBuilder(args);
        builder.Services.AddSandboxPayProvider(builder.Configuration);
        var app = GatewayApp.Build(builder);
        await app.RunAsync();
    }
}
