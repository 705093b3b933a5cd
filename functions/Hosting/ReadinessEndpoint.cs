using System.Reflection;

namespace SnipcartGateway.Hosting;

/// <summary>
/// The Functions host polls GET / until it gets any HTTP answer before it sends invocations. Answer it
/// cheaply, without touching storage, so a slow dependency never delays start-up.
/// </summary>
public static class ReadinessEndpoint
{
    public const string Name = "snipcart-gateway";

    /// <summary>The informational version of the gateway assembly (from the csproj).</summary>
    public static string Version { get; } =
        typeof(ReadinessEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ReadinessEndpoint).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static IEndpointConventionBuilder MapReadinessEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/", () => Results.Ok(new { name = Name, version = Version }));
}
