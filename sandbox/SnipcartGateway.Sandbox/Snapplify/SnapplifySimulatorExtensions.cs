namespace SnipcartGateway.Sandbox.Snapplify;

public static class SnapplifySimulatorExtensions
{
    /// <summary>The Snapplify Pay simulator's settings, state and IPN sender.</summary>
    public static IServiceCollection AddSnapplifySimulator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SnapplifySimulatorOptions>().Bind(configuration.GetSection(SnapplifySimulatorOptions.SectionName));
        services.AddSingleton<SnapplifyState>();
        services.AddHostedService<SnapplifyIpnSender>();
        services.AddHttpClient(SnapplifyIpnSender.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        return services;
    }

    /// <summary>Mounts the simulator under /snapplify (its BaseUrl is {PublicUrl}/snapplify).</summary>
    public static IEndpointRouteBuilder MapSnapplifySimulator(this IEndpointRouteBuilder app) =>
        app.MapSnapplifyApi().MapSnapplifySubmitPage();
}
