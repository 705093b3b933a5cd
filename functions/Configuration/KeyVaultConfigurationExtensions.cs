namespace SnipcartGateway.Configuration;

// SKELETON: owned by the foundation work.
public static class KeyVaultConfigurationExtensions
{
    public static IConfigurationBuilder AddKeyVaultSecretsIfConfigured(this IConfigurationManager configuration) => configuration;
}
