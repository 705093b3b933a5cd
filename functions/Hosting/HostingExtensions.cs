using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using SnipcartGateway.Configuration;

namespace SnipcartGateway.Hosting;

/// <summary>
/// Everything that makes the app a well-behaved Azure Functions custom handler: the port the host hands us,
/// the readiness answer at "/", problem+json errors and optional CORS for a checkout page on another origin.
/// </summary>
public static class HostingExtensions
{
    /// <summary>Set by the Functions host for the child process it starts (the legacy name still exists on older hosts).</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string LegacyHttpWorkerPortVariable = "FUNCTIONS_HTTPWORKER_PORT";

    /// <summary>
    /// Listens on http://127.0.0.1:{port} when the Functions host gave us a port. The host calls us over
    /// loopback only, so binding to 127.0.0.1 keeps the handler off every other interface. Without a port
    /// (local run, tests) --urls / ASPNETCORE_URLS stay in charge.
    /// </summary>
    public static IWebHostBuilder UseCustomHandlerPort(this IWebHostBuilder webHost, IConfiguration configuration)
    {
        var url = CustomHandlerUrl(configuration);
        if (url is not null)
        {
            webHost.UseUrls(url);
        }
        return webHost;
    }

    /// <summary>The URL to listen on, or null when no custom-handler port is set. Throws on a malformed port.</summary>
    public static string? CustomHandlerUrl(IConfiguration configuration)
    {
        var raw = configuration[CustomHandlerPortVariable];
        var name = CustomHandlerPortVariable;
        if (string.IsNullOrWhiteSpace(raw))
        {
            raw = configuration[LegacyHttpWorkerPortVariable];
            name = LegacyHttpWorkerPortVariable;
        }
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }
        if (!int.TryParse(raw, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{name} must be a TCP port number (1-65535).");
        }
        return $"http://127.0.0.1:{port}";
    }

    public static IServiceCollection AddGatewayHosting(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDetailsDefaults.AddTraceId);
        services.AddExceptionHandler<GatewayExceptionHandler>();
        services.AddCors();
        services.AddSingleton<IConfigureOptions<CorsOptions>, CorsFromConfiguration>();
        services.AddGatewayOptions();
        return services;
    }

    public static WebApplication UseGatewayHosting(this WebApplication app)
    {
        // Order matters: the exception handler must wrap everything after it, and status-code pages only
        // fill responses that are still empty when they come back out.
        app.UseExceptionHandler();
        app.UseStatusCodePages(ProblemDetailsDefaults.WriteStatusCodeProblemAsync);
        if (CorsFromConfiguration.AllowedOrigins(app.Configuration).Length > 0)
        {
            app.UseCors();
        }
        app.MapReadinessEndpoint();
        return app;
    }
}
