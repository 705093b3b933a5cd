using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>Settings under <c>Providers:SandboxPay</c> (Providers__SandboxPay__Test__BaseUrl, __Test__SecretKey, ...).</summary>
public sealed class SandboxPayOptions : ProviderOptions<SandboxPayModeKeys>
{
    public const string Section = "SandboxPay";
}

/// <summary>A mode's keys for Sandbox Pay's API; Sandbox Widget's mode settings extend them.</summary>
public class SandboxPayModeKeys : ProviderModeOptions
{
    public SandboxPayModeKeys() => BaseUrl = "http://localhost:7080/sandboxpay";

    public string? SecretKey { get; set; }
    public string? SigningSecret { get; set; }

    protected override IEnumerable<(string Name, string? Value)> Credentials =>
        [(nameof(SecretKey), SecretKey), (nameof(SigningSecret), SigningSecret)];
}
