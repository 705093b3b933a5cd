using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;

namespace SnipcartGateway.Hosting;

/// <summary>
/// Cors:AllowedOrigins (comma-separated) becomes the default CORS policy. Only needed when the checkout page
/// is deployed on another origin than the gateway; empty means no CORS middleware at all.
/// </summary>
internal sealed class CorsFromConfiguration(IConfiguration configuration) : IConfigureOptions<CorsOptions>
{
    public const string SettingName = "Cors:AllowedOrigins";

    public static string[] AllowedOrigins(IConfiguration configuration) =>
        (configuration[SettingName] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(origin => origin.TrimEnd('/'))
            .ToArray();

    public void Configure(CorsOptions options)
    {
        var origins = AllowedOrigins(configuration);
        if (origins.Length > 0)
        {
            options.AddDefaultPolicy(policy => policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod());
        }
    }
}
