namespace SnipcartGateway.Sandbox;

/// <summary>The sandbox as the local run starts it (default http://localhost:7080).</summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = SandboxApp.CreateBuilder(args);
        var app = SandboxApp.Build(builder);
        await app.RunAsync();
    }
}
