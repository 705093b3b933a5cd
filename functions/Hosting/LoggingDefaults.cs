using Microsoft.Extensions.Configuration.Memory;

namespace SnipcartGateway.Hosting;

/// <summary>
/// What the worker logs unless <c>Logging__LogLevel__*</c> settings say otherwise: our own categories at Information
/// (one line per payment event, with the payment reference and never a secret), framework categories at Warning.
/// At Information the framework writes several lines per request (result execution, HttpClient request lines with
/// their URLs, which can hold a public token), which costs throughput and leaks what the logs must not hold.
/// Added as the lowest-priority configuration source, so app settings still win.
/// </summary>
public static class LoggingDefaults
{
    public static readonly IReadOnlyDictionary<string, string?> Values = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        ["Logging:LogLevel:System"] = "Warning",
        ["Logging:LogLevel:Azure"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Grpc"] = "Warning",
        // These print request and outbound URLs, whose query strings hold the refund key and public tokens: they
        // stay at Warning even when someone raises Microsoft or System to Debug.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.Routing"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
    };

    public static IConfigurationBuilder AddGatewayLoggingDefaults(this IConfigurationBuilder configuration)
    {
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values });
        return configuration;
    }
}
