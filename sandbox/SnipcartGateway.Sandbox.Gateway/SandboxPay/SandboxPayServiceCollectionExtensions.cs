using Microsoft.Extensions.DependencyInjection.Extensions;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Sandbox.Gateway.SandboxPay;

public static class SandboxPayServiceCollectionExtensions
{
    /// <summary>
    /// Registers Sandbox Pay as an <see cref="IPaymentProvider"/> singleton. Its HttpClient comes from the
    /// factory per call (a named client), so the singleton never pins one handler and its DNS.
    /// </summary>
    public static IServiceCollection AddSandboxPayProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SandboxPayOptions>()
            .Bind(configuration.GetSection(SandboxPayOptions.SectionName))
            .Validate(o => !o.Enabled || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out _), "Providers__SandboxPay__BaseUrl must be an absolute URL.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SandboxPayProvider.HttpClientName).AddGatewayResilience(attemptTimeout: TimeSpan.FromSeconds(15));
        services.AddSingleton<SandboxPayProvider>();
        services.AddSingleton<IPaymentProvider>(provider => provider.GetRequiredService<SandboxPayProvider>());
        return services;
    }
}
