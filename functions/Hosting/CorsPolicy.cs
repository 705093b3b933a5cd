namespace SnipcartGateway.Hosting;

/// <summary>
/// <c>Cors__AllowedOrigins</c> (comma-separated): browsers on these origins may call the API. Only needed when the
/// checkout page is deployed on another origin than the gateway. The worker's ASP.NET Core pipeline cannot take
/// UseCors, so <see cref="GatewayHttpMiddleware"/> applies this policy to every HTTP function; Azure's platform CORS
/// (Function App → CORS) is the alternative, and should not be used together with this setting.
/// </summary>
public sealed class CorsPolicy(IConfiguration configuration)
{
    public const string SettingName = "Cors:AllowedOrigins";

    private readonly HashSet<string> _origins = AllowedOrigins(configuration).ToHashSet(StringComparer.OrdinalIgnoreCase);

    public static string[] AllowedOrigins(IConfiguration configuration) =>
        (configuration[SettingName] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(origin => origin.TrimEnd('/'))
            .ToArray();

    public bool IsEnabled => _origins.Count > 0;

    /// <summary>Adds the CORS answer for an allowed Origin; true when the request is a preflight that must be answered now.</summary>
    public bool Apply(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (!IsEnabled || origin.Length == 0 || !_origins.Contains(origin))
        {
            return false;
        }
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.Append("Vary", "Origin");
        if (!HttpMethods.IsOptions(context.Request.Method) || context.Request.Headers.AccessControlRequestMethod.Count == 0)
        {
            return false;
        }
        headers.AccessControlAllowMethods = "GET, POST";
        headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders.Count > 0
            ? context.Request.Headers.AccessControlRequestHeaders.ToString()
            : "Content-Type";
        headers.AccessControlMaxAge = "600";
        return true;
    }
}
