using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>Settings under <c>Providers:SandboxPay</c> (Providers__SandboxPay__Test__SecretKey, ...).</summary>
public sealed class SandboxPayOptions
{
    public const string SectionName = "Providers:SandboxPay";

    public bool Enabled { get; set; }

    /// <summary>The sandbox's Sandbox Pay API, e.g. http://localhost:7080/sandboxpay.</summary>
    public string BaseUrl { get; set; } = "http://localhost:7080/sandboxpay";

    /// <summary>Comma list of ISO-4217 codes; empty means any.</summary>
    public string? Currencies { get; set; }

    /// <summary>Comma list of ISO-3166 alpha-2 billing countries; empty means any.</summary>
    public string? Countries { get; set; }

    public SandboxPayModeKeys Test { get; set; } = new();
    public SandboxPayModeKeys Live { get; set; } = new();

    public SandboxPayModeKeys For(PaymentMode mode) => mode == PaymentMode.Live ? Live : Test;

    internal string ApiBase => BaseUrl.TrimEnd('/');

    internal static IReadOnlySet<string> ParseList(string? list) =>
        new HashSet<string>(
            (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToUpperInvariant()),
            StringComparer.Ordinal);
}

public sealed class SandboxPayModeKeys
{
    public string? SecretKey { get; set; }
    public string? SigningSecret { get; set; }

    public bool IsComplete => !string.IsNullOrWhiteSpace(SecretKey) && !string.IsNullOrWhiteSpace(SigningSecret);
}
