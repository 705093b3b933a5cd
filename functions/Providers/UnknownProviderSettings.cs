using System.Reflection;
using Microsoft.Extensions.Hosting;

namespace SnipcartGateway.Providers;

/// <summary>A provider's settings section (<c>Providers:{Section}</c>) and the options type it binds to.</summary>
public sealed record ProviderSettingsSection(string Section, Type OptionsType);

/// <summary>
/// Settings under <c>Providers__</c> that no provider reads: a typo, or a setting that moved (the old
/// <c>Providers__SandboxPay__BaseUrl</c>, now per mode). The binder ignores them silently and the default is used, so
/// they are named at start-up; they do not stop it.
/// </summary>
public static class UnknownProviderSettings
{
    /// <summary>Each setting (as an app-setting name, <c>Providers__X__Y</c>) under <paramref name="providers"/> that
    /// is no property of its section's options type, or is under a section no provider has.</summary>
    public static IEnumerable<string> Find(IConfigurationSection providers, IEnumerable<ProviderSettingsSection> known)
    {
        var sections = known.ToDictionary(k => k.Section, k => k.OptionsType, StringComparer.OrdinalIgnoreCase);
        foreach (var child in providers.GetChildren())
        {
            var unknown = sections.TryGetValue(child.Key, out var type) ? Unread(child, type) : Leaves(child);
            foreach (var setting in unknown)
            {
                yield return setting.Replace(":", "__", StringComparison.Ordinal);
            }
        }
    }

    private static IEnumerable<string> Unread(IConfigurationSection section, Type type)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                foreach (var leaf in Leaves(child))
                {
                    yield return leaf;
                }
            }
            else if (IsSection(property.PropertyType))
            {
                foreach (var nested in Unread(child, property.PropertyType))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    private static IEnumerable<string> Leaves(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        return children.Count == 0 ? [section.Path] : children.SelectMany(Leaves);
    }
}

/// <summary>Logs <see cref="UnknownProviderSettings"/> once at start-up: one warning line per setting.</summary>
public sealed class UnknownProviderSettingsWarning(IConfiguration configuration, IEnumerable<ProviderSettingsSection> known, ILogger<UnknownProviderSettingsWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in UnknownProviderSettings.Find(configuration.GetSection("Providers"), known))
        {
            logger.LogWarning("Setting {Setting} is read by no provider and is ignored (a typo, or a setting that moved: see docs/providers/)", setting);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
