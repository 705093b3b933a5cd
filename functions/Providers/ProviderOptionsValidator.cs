using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace SnipcartGateway.Providers;

/// <summary>Reports every problem of a provider's settings at once, by name (ValidateOnStart stops start-up with
/// all of them, for every provider, rather than the first).</summary>
public sealed class ProviderOptionsValidator<TOptions, TMode>(string providerSection) : IValidateOptions<TOptions>
    where TOptions : ProviderOptions<TMode>
    where TMode : ProviderModeOptions, new()
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var problems = options.Problems("Providers__" + providerSection).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

public static class ProviderOptionsServiceCollectionExtensions
{
    /// <summary>Binds <c>Providers:{section}</c> to <typeparamref name="TOptions"/> and validates it at start-up.</summary>
    public static OptionsBuilder<TOptions> AddProviderOptions<TOptions, TMode>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : ProviderOptions<TMode>
        where TMode : ProviderModeOptions, new()
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new ProviderOptionsValidator<TOptions, TMode>(section));
        // Settings under Providers__{section}__ that this options type does not read are named at start-up.
        services.AddSingleton(new ProviderSettingsSection(section, typeof(TOptions)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, UnknownProviderSettingsWarning>());
        return services.AddOptions<TOptions>()
            .Bind(configuration.GetSection("Providers").GetSection(section))
            .ValidateOnStart();
    }
}
