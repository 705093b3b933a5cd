namespace SnipcartGateway.Sandbox.Gateway;

public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = GatewayApp.CreateBuilder(args);
        var app = GatewayApp.Build(builder);
        await app.RunAsync();
    }
}
