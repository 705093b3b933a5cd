namespace SnipcartGateway.Hosting.Telemetry;

/// <summary>
/// Where the worker's traces, metrics and logs go, decided from two settings only: Application Insights when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (both may
/// be), and nowhere otherwise. With neither, OpenTelemetry is not even registered, so nothing listens to the
/// gateway's sources and a request costs what it did before.
/// </summary>
public sealed record TelemetryExport(bool AzureMonitor, bool Otlp)
{
    public const string ApplicationInsightsConnectionString = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string ApplicationInsightsAuthenticationString = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";
    public const string OtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public bool Any => AzureMonitor || Otlp;

    public static TelemetryExport From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new TelemetryExport(
            AzureMonitor: !string.IsNullOrWhiteSpace(configuration[ApplicationInsightsConnectionString]),
            Otlp: !string.IsNullOrWhiteSpace(configuration[OtlpEndpoint]));
    }

    /// <summary>
    /// The managed identity client id in <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
    /// (<c>Authorization=AAD;ClientId=...</c>, what the Functions host reads when local auth is disabled): "" for
    /// <c>Authorization=AAD</c> without a client id (the system identity), null when Entra ID is not asked for.
    /// </summary>
    public static string? EntraClientId(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }
        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return parts.TryGetValue("ClientId", out var clientId) ? clientId : "";
    }
}
