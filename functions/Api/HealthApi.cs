using SnipcartGateway.Hosting;

namespace SnipcartGateway.Api;

// SKELETON: owned by the foundation work (version and storage status).
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", () => Results.Ok(new { status = "ok" })).AsFunction("Health");
        return app;
    }
}
