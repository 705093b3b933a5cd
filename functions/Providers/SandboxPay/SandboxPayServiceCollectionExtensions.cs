using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.SandboxPay;

public static class SandboxPayServiceCollectionExtensions
{
    /// <summary>
    /// Registers Sandbox Pay as an <see cref="IPaymentProvider"/> singleton. It ships in the package (so the local
    /// run and the tests run exactly what is deployed) but is off unless <c>Providers__SandboxPay__Enabled</c> is
    /// true, and start-up refuses live credentials for it: it is a test-only provider and must never take a live
    /// order. Its HttpClient comes from the factory per call (a named client), so the singleton never pins one
    /// handler and its DNS.
    /// </summary>
    public static IServiceCollection AddSandboxPayProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddProviderOptions<SandboxPayOptions, SandboxPayModeKeys>(configuration, SandboxPayOptions.Section)
            .Validate(
                o => string.IsNullOrWhiteSpace(o.Live.SecretKey) && string.IsNullOrWhiteSpace(o.Live.SigningSecret),
                "Sandbox Pay is a test-only provider: remove Providers__SandboxPay__Live__SecretKey and Providers__SandboxPay__Live__SigningSecret.");
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SandboxPayProvider.HttpClientName).AddGatewayResilience(attemptTimeout: TimeSpan.FromSeconds(15));
        services.AddSingleton<SandboxPayProvider>();
        services.AddSingleton<IPaymentProvider>(provider => provider.GetRequiredService<SandboxPayProvider>());
        return services;
    }
}
