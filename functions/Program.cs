using SnipcartGateway.Hosting;

namespace SnipcartGateway;

/// <summary>
/// The Azure Functions custom handler: one ASP.NET Core app that the Functions host starts (and forwards HTTP
/// requests and timer invocations to), and that also runs on its own.
/// </summary>
public sealed class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (FunctionJsonCommand.TryParse(args, out var directory, out var remaining))
        {
            var builder = GatewayApp.CreateBuilder(remaining);
            await using var app = GatewayApp.Build(builder);
            FunctionJsonCommand.Run(app, directory);
            return 0;
        }

        var gateway = GatewayApp.Build(GatewayApp.CreateBuilder(args));
        await gateway.RunAsync();
        return 0;
    }
}
