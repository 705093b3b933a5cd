using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Hosting;

namespace SnipcartGateway.Tests.Infrastructure;

/// <summary>
/// Settings every start-up check of the gateway accepts, for tests that need its services or a host built with
/// <c>AddGateway</c> but no sandbox (start-up validation, pure view code). Nothing is called at these URLs.
/// </summary>
public static class StandaloneGatewaySettings
{
    public static Dictionary<string, string?> Create(string storageConnectionString = "UseDevelopmentStorage=true") => new()
    {
        ["AzureWebJobsStorage"] = storageConnectionString,
        ["Storage:ConnectionString"] = storageConnectionString,
        ["Storage:TablePrefix"] = "s" + Guid.NewGuid().ToString("N")[..10],
        ["Gateway:PublicBaseUrl"] = "http://127.0.0.1:7071",
        ["Snipcart:ApiBaseUrl"] = "http://127.0.0.1:9/api",
        ["Snipcart:SecretKeys:Test"] = SandboxHost.SnipcartTestKey,
        ["Snipcart:SecretKeys:Live"] = SandboxHost.SnipcartLiveKey,
        ["Providers:SandboxPay:Enabled"] = "true",
        ["Providers:SandboxPay:Test:BaseUrl"] = "http://127.0.0.1:9/sandboxpay",
        ["Providers:SandboxPay:Test:SecretKey"] = SandboxHost.SandboxPaySecret,
        ["Providers:SandboxPay:Test:SigningSecret"] = SandboxHost.SandboxPaySigning,
    };

    /// <summary>The gateway's services on these settings, as Program.cs registers them.</summary>
    public static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddGateway(configuration).BuildServiceProvider();
    }
}
