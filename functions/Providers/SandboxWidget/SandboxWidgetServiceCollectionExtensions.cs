using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.SandboxWidget;

public static class SandboxWidgetServiceCollectionExtensions
{
    /// <summary>
    /// Registers Sandbox Widget as an <see cref="IPaymentProvider"/>. Like Sandbox Pay it ships in the package but is
    /// off unless <c>Providers__SandboxWidget__Enabled</c> is true, and start-up refuses live credentials for it.
    /// </summary>
    public static IServiceCollection AddSandboxWidgetProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderOptions<SandboxWidgetOptions, SandboxWidgetModeKeys>(configuration, SandboxWidgetOptions.Section)
            .Validate(
                o => string.IsNullOrWhiteSpace(o.Live.SecretKey) && string.IsNullOrWhiteSpace(o.Live.SigningSecret),
                "Sandbox Widget is a test-only provider: remove Providers__SandboxWidget__Live__SecretKey and Providers__SandboxWidget__Live__SigningSecret.");
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SandboxWidgetProvider.HttpClientName).AddGatewayResilience(attemptTimeout: TimeSpan.FromSeconds(15));
        services.AddSingleton<SandboxWidgetProvider>();
        services.AddSingleton<IPaymentProvider>(provider => provider.GetRequiredService<SandboxWidgetProvider>());
        return services;
    }
}
