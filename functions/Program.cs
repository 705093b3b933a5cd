namespace SnipcartGateway;

/// <summary>
/// The Azure Functions custom handler: one ASP.NET Core app that the Functions host starts (and forwards HTTP
/// requests and timer invocations to), and that also runs on its own.
/// </summary>
public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = GatewayApp.CreateBuilder(args);
        var app = GatewayApp.Build(builder);
        await app.RunAsync();
    }
}
