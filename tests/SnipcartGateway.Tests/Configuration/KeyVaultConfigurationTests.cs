using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Moq;
using SnipcartGateway.Configuration;

namespace SnipcartGateway.Tests.Configuration;

/// <summary>Key Vault secrets become settings at start-up; tested against a Moq SecretClient (no emulator exists here).</summary>
public sealed class KeyVaultConfigurationTests
{
    private const string VaultUri = "https://gateway-vault.vault.azure.net/";

    private readonly Mock<SecretClient> _client = new();

    private void GivenSecrets(params (string Name, string Value, bool Enabled)[] secrets)
    {
        var properties = secrets.Select(s => SecretModelFactory.SecretProperties(name: s.Name)).ToList();
        for (var i = 0; i < secrets.Length; i++)
        {
            properties[i].Enabled = secrets[i].Enabled;
            var (name, value, _) = secrets[i];
            _client.Setup(c => c.GetSecretAsync(name, null, It.IsAny<CancellationToken>()))
                .ReturnsAsync(Response.FromValue(SecretModelFactory.KeyVaultSecret(SecretModelFactory.SecretProperties(name: name), value), Mock.Of<Response>()));
        }
        // Two pages, as a large vault would return.
        _client.Setup(c => c.GetPropertiesOfSecretsAsync(It.IsAny<CancellationToken>()))
            .Returns(AsyncPageable<SecretProperties>.FromPages([
                Page<SecretProperties>.FromValues(properties.Take(1).ToList(), "next", Mock.Of<Response>()),
                Page<SecretProperties>.FromValues(properties.Skip(1).ToList(), null, Mock.Of<Response>()),
            ]));
    }

    private ConfigurationManager Configuration(Dictionary<string, string?> settings, List<(Uri, string?)>? factoryCalls = null)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings);
        configuration.AddKeyVaultSecretsIfConfigured((uri, clientId) =>
        {
            factoryCalls?.Add((uri, clientId));
            return _client.Object;
        });
        return configuration;
    }

    [Fact]
    public void Enabled_secrets_fill_settings_with_double_dash_as_the_section_separator()
    {
        GivenSecrets(("Snipcart--SecretKeys--Live", "live-from-vault", true), ("Providers--SandboxPay--Test--SecretKey", "sp-from-vault", true));
        var calls = new List<(Uri, string?)>();

        var configuration = Configuration(new() { ["KeyVault:Uri"] = VaultUri, ["KeyVault:ClientId"] = "uami-client-id", ["Snipcart:SecretKeys:Live"] = "from-env" }, calls);

        Assert.Equal("live-from-vault", configuration["Snipcart:SecretKeys:Live"]);
        Assert.Equal("sp-from-vault", configuration["Providers:SandboxPay:Test:SecretKey"]);
        Assert.Equal([(new Uri(VaultUri), (string?)"uami-client-id")], calls);
    }

    [Fact]
    public void Disabled_secrets_are_skipped_and_never_read()
    {
        GivenSecrets(("Gateway--Old", "old", false), ("Gateway--New", "new", true));

        var configuration = Configuration(new() { ["KeyVault:Uri"] = VaultUri });

        Assert.Null(configuration["Gateway:Old"]);
        Assert.Equal("new", configuration["Gateway:New"]);
        _client.Verify(c => c.GetSecretAsync("Gateway--Old", It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public void Without_a_vault_uri_no_client_is_created()
    {
        var calls = new List<(Uri, string?)>();
        Configuration(new() { ["Snipcart:SecretKeys:Live"] = "x" }, calls);
        Assert.Empty(calls);
    }

    [Fact]
    public void A_vault_that_cannot_be_read_stops_start_up_naming_the_setting_not_the_secrets()
    {
        GivenSecrets(("Snipcart--SecretKeys--Live", "super-secret-value", true));
        _client.Setup(c => c.GetSecretAsync("Snipcart--SecretKeys--Live", null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(403, "Caller is not authorized; value super-secret-value", "Forbidden", null));

        var error = Assert.Throws<InvalidOperationException>(() => Configuration(new() { ["KeyVault:Uri"] = VaultUri }));

        Assert.Contains("KeyVault__Uri", error.Message);
        Assert.Contains("403", error.Message);
        Assert.DoesNotContain("super-secret-value", error.Message);
    }

    [Theory]
    [InlineData("not a uri")]
    [InlineData("http://gateway-vault.vault.azure.net/")]
    public void A_vault_uri_that_is_not_https_is_refused(string uri)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Configuration(new() { ["KeyVault:Uri"] = uri }));
        Assert.Contains("KeyVault__Uri", error.Message);
    }
}
