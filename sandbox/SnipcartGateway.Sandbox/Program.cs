namespace SnipcartGateway.Sandbox;

public sealed class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var app = builder.Build();
        app.MapGet("/", () => "Snipcart gateway sandbox");
        await app.RunAsync();
    }
}
