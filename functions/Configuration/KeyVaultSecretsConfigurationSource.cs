using Azure;
using Azure.Security.KeyVault.Secrets;

namespace SnipcartGateway.Configuration;

internal sealed class KeyVaultSecretsConfigurationSource(SecretClient client, Uri vaultUri) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new KeyVaultSecretsConfigurationProvider(client, vaultUri);
}

/// <summary>
/// Loads all enabled secrets once at start-up. No reload: Key Vault throttles, and the guidance is to cache
/// and restart (or use versionless Key Vault references) on rotation.
/// </summary>
internal sealed class KeyVaultSecretsConfigurationProvider(SecretClient client, Uri vaultUri) : ConfigurationProvider
{
    /// <summary>Key Vault secret names allow only letters, digits and '-', so "--" stands for the ':' separator.</summary>
    public const string Separator = "--";

    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    public override void Load()
    {
        // Configuration providers load synchronously; start-up has no synchronization context to deadlock on.
        Data = LoadAsync().GetAwaiter().GetResult();
    }

    private async Task<IDictionary<string, string?>> LoadAsync()
    {
        using var timeout = new CancellationTokenSource(LoadTimeout);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        try
        {
            await foreach (var properties in client.GetPropertiesOfSecretsAsync(timeout.Token))
            {
                if (properties.Enabled != true)
                {
                    continue;
                }
                var secret = await client.GetSecretAsync(properties.Name, version: null, timeout.Token);
                data[SettingKey(properties.Name)] = secret.Value.Value;
            }
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            var reason = e switch
            {
                RequestFailedException failed => $"HTTP {failed.Status} {failed.ErrorCode}".TrimEnd(),
                OperationCanceledException => $"no answer within {LoadTimeout.TotalSeconds:0} s",
                _ => e.GetType().Name,
            };
            throw new InvalidOperationException(
                $"Could not read the secrets of the Key Vault set in {SettingNames.ToEnvironmentVariable(KeyVaultConfigurationExtensions.UriKey)} ({vaultUri}): {reason}. " +
                $"Check the URI and that the app's identity ({SettingNames.ToEnvironmentVariable(KeyVaultConfigurationExtensions.ClientIdKey)} when user-assigned) has the Key Vault Secrets User role.",
                e);
        }
        return data;
    }

    public static string SettingKey(string secretName) => secretName.Replace(Separator, ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
}
