namespace SnipcartGateway.Sandbox;

/// <summary>Settings of the sandbox (section <c>Sandbox</c>).</summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>The sandbox's own base URL: Snipcart's simulated API is {PublicUrl}/api.</summary>
    public string PublicUrl { get; set; } = "http://localhost:7080";

    /// <summary>The gateway under test; Snipcart's payment-methods webhook is {GatewayUrl}/api/snipcart/payment-methods.</summary>
    public string GatewayUrl { get; set; } = "http://localhost:7071";

    /// <summary>The custom gateway secret keys the simulated Snipcart accepts, per mode.</summary>
    public SandboxModeKeys SecretKeys { get; set; } = new();

    public SandboxPaySettings SandboxPay { get; set; } = new();

    /// <summary>Snipcart documents no expiry for public tokens; an hour mirrors its request tokens.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    internal string PublicBase => PublicUrl.TrimEnd('/');
    internal string GatewayBase => GatewayUrl.TrimEnd('/');
}

public sealed class SandboxModeKeys
{
    public string? Test { get; set; }
    public string? Live { get; set; }
}

public sealed class SandboxPaySettings
{
    /// <summary>The API key merchants send as Bearer.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Signs notifications (SandboxPay-Signature).</summary>
    public string? SigningSecret { get; set; }
}
