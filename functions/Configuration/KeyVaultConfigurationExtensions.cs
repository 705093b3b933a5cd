using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace SnipcartGateway.Configuration;

/// <summary>
/// Optional Key Vault as a configuration source, for settings not given as App Service Key Vault references.
/// </summary>
public static class KeyVaultConfigurationExtensions
{
    public const string UriKey = "KeyVault:Uri";
    public const string ClientIdKey = "KeyVault:ClientId";

    /// <summary>Builds the client for a vault; replaced in tests by a mock.</summary>
    public delegate SecretClient SecretClientFactory(Uri vaultUri, string? managedIdentityClientId);

    /// <summary>Managed identity in Azure (the user-assigned one when KeyVault:ClientId is set), developer credentials locally.</summary>
    public static readonly SecretClientFactory DefaultSecretClientFactory = (vaultUri, clientId) =>
        new SecretClient(vaultUri, new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId }));

    /// <summary>
    /// When KeyVault:Uri is set, reads every enabled secret once, now, and adds them as settings ("A--B" fills
    /// "A:B"). Added last, so vault values win over environment variables. Reading fails start-up with a
    /// message naming KeyVault__Uri; secret values never appear in messages or logs.
    /// </summary>
    public static IConfigurationBuilder AddKeyVaultSecretsIfConfigured(this IConfigurationManager configuration, SecretClientFactory? clientFactory = null)
    {
        var raw = configuration[UriKey];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return configuration;
        }
        if (!Uri.TryCreate(raw.Trim(), UriKind.Absolute, out var vaultUri) || vaultUri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"{SettingNames.ToEnvironmentVariable(UriKey)} must be the https URI of a Key Vault, e.g. https://my-vault.vault.azure.net/.");
        }

        var clientId = configuration[ClientIdKey];
        var client = (clientFactory ?? DefaultSecretClientFactory)(vaultUri, string.IsNullOrWhiteSpace(clientId) ? null : clientId.Trim());
        configuration.Add(new KeyVaultSecretsConfigurationSource(client, vaultUri));
        return configuration;
    }
}
