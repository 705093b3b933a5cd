namespace SnipcartGateway.Configuration;

/// <summary>Setting names as operators type them: app settings and env vars use "__" where code uses ":".</summary>
public static class SettingNames
{
    public static string ToEnvironmentVariable(string configurationKey) => configurationKey.Replace(":", "__", StringComparison.Ordinal);
}
