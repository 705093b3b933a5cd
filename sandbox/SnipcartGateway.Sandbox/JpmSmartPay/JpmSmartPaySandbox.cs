namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>The simulated SmartPay by J.P. Morgan: one call to register it, one to map it (see SandboxApp).</summary>
public static class JpmSmartPaySandbox
{
    public static IServiceCollection AddJpmSmartPaySimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<JpmSmartPaySandboxSettings>().Bind(configuration.GetSection(JpmSmartPaySandboxSettings.SectionName));
        services.AddSingleton<JpmSmartPayState>();
        services.AddHostedService<JpmSmartPayNotifier>();
        services.AddHttpClient(JpmSmartPayNotifier.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddCors(cors => cors.AddPolicy(JpmSmartPayApiEndpoints.CorsPolicy,
            policy => policy.AllowAnyOrigin().WithHeaders("Content-Type").WithMethods("GET", "POST")));
        return services;
    }

    public static IEndpointRouteBuilder MapJpmSmartPay(this IEndpointRouteBuilder app)
    {
        app.MapJpmSmartPayApi();
        app.MapJpmSmartPayWidget();
        return app;
    }
}
