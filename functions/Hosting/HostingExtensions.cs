namespace SnipcartGateway.Hosting;

// SKELETON: owned by the foundation work (custom-handler port, problem details, security headers, timers).
public static class HostingExtensions
{
    public static IWebHostBuilder UseCustomHandlerPort(this IWebHostBuilder webHost, IConfiguration configuration) => webHost;

    public static IServiceCollection AddGatewayHosting(this IServiceCollection services)
    {
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseGatewayHosting(this WebApplication app) => app;
}
