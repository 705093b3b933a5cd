using System.Reflection;

namespace SnipcartGateway.Hosting;

/// <summary>The gateway's name and version, as health answers report them.</summary>
public static class GatewayInfo
{
    public const string Name = "snipcart-gateway";

    /// <summary>The informational version of the gateway assembly (from the csproj).</summary>
    public static string Version { get; } =
        typeof(GatewayInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(GatewayInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
