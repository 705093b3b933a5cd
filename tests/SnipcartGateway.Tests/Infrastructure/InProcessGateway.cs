using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// The gateway's object graph without the Functions host, for service-level tests: the same
/// <c>AddGateway(configuration)</c> Program.cs calls, over in-memory settings. Nothing is replaced.
/// </summary>
public static class InProcessGateway
{
    /// <summary>Settings every start-up check accepts; storage points at <paramref name="storageConnectionString"/>.</summary>
    public static Dictionary<string, string?> Settings(string storageConnectionString = "UseDevelopmentStorage=true") => new()
    {
        ["AzureWebJobsStorage"] = storageConnectionString,
        ["Storage:ConnectionString"] = storageConnectionString,
        ["Storage:TablePrefix"] = "p" + Guid.NewGuid().ToString("N")[..10],
        ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:7071",
        ["Snipcart:ApiBaseUrl"] = "http://127.0.0.1:9/api",
        ["Snipcart:SecretKeys:Test"] = SandboxHost.SnipcartTestKey,
        ["Snipcart:SecretKeys:Live"] = SandboxHost.SnipcartLiveKey,
        ["Providers:SandboxPay:Enabled"] = "true",
        ["Providers:SandboxPay:BaseUrl"] = "http://127.0.0.1:9/sandboxpay",
        ["Providers:SandboxPay:Test:SecretKey"] = SandboxHost.SandboxPaySecret,
        ["Providers:SandboxPay:Test:SigningSecret"] = SandboxHost.SandboxPaySigning,
    };

    public static IConfiguration Configuration(IReadOnlyDictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    /// <summary>A service provider built as the worker builds its own; dispose it after the test.</summary>
    public static ServiceProvider Build(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = Configuration(settings);
        var services = new ServiceCollection().AddLogging().AddSingleton(configuration);
        services.AddGateway(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    /// <summary>Runs a function's result as ASP.NET Core would, on a fresh context whose services are <paramref name="services"/>.</summary>
    public static async Task<(int Status, string Body, IHeaderDictionary Headers)> ExecuteAsync(IResult result, IServiceProvider services)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        return (context.Response.StatusCode, System.Text.Encoding.UTF8.GetString(body.ToArray()), context.Response.Headers);
    }
}
