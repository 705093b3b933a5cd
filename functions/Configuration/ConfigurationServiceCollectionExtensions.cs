using Microsoft.Extensions.Options;

namespace SnipcartGateway.Configuration;

public static class ConfigurationServiceCollectionExtensions
{
    /// <summary>Registers <see cref="GatewayOptions"/>, validated when the host starts so a bad setting stops start-up, not the first payment.</summary>
    public static IServiceCollection AddGatewayOptions(this IServiceCollection services)
    {
        services.AddSingleton<GatewayOptionsSetup>();
        services.AddSingleton<IConfigureOptions<GatewayOptions>>(sp => sp.GetRequiredService<GatewayOptionsSetup>());
        services.AddSingleton<IValidateOptions<GatewayOptions>>(sp => sp.GetRequiredService<GatewayOptionsSetup>());
        services.AddOptions<GatewayOptions>().ValidateOnStart();
        services.AddSingleton<BrandingOptionsSetup>();
        services.AddSingleton<IConfigureOptions<BrandingOptions>>(sp => sp.GetRequiredService<BrandingOptionsSetup>());
        services.AddSingleton<IValidateOptions<BrandingOptions>>(sp => sp.GetRequiredService<BrandingOptionsSetup>());
        services.AddOptions<BrandingOptions>().ValidateOnStart();
        return services;
    }
}
