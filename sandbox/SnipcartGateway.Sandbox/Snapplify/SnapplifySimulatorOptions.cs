namespace SnipcartGateway.Sandbox.Snapplify;

/// <summary>Settings of the Snapplify Pay simulator (section <c>Sandbox:Snapplify</c>).</summary>
public sealed class SnapplifySimulatorOptions
{
    public const string SectionName = "Sandbox:Snapplify";

    /// <summary>The clients Snapplify issued: client identifier → secret (<c>Sandbox__Snapplify__Clients__{client}</c>).</summary>
    public Dictionary<string, string> Clients { get; set; } = new(StringComparer.Ordinal);

    /// <summary>What /payment/request accepts; Snapplify's own plugin offers these three.</summary>
    public string[] Currencies { get; set; } = ["ZAR", "USD", "KES"];

    /// <summary>Wait before each of the 3 retries of an IPN that was not answered 2xx.</summary>
    public TimeSpan IpnRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an IPN waits for the merchant's answer (Snapplify's documented 15 s).</summary>
    public TimeSpan IpnTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The docs describe validate once, after the return ("Pay marks the payment as validated") and are silent
    /// on a second call: false (default) answers every call; true answers a repeated validate of a validated payment
    /// with <c>ALREADY_VALIDATED</c>.</summary>
    public bool ValidateOnce { get; set; }

    /// <summary>Silent too: whether validate answers a payment still NEW (the shopper on Snapplify's page). False
    /// (default) answers it; true answers <c>PAYMENT_NOT_COMPLETE</c>.</summary>
    public bool ValidateRefusesNew { get; set; }

    /// <summary>Test hook for the IPN budget: how long validate and ipn/validate take to answer.</summary>
    public TimeSpan AnswerDelay { get; set; } = TimeSpan.Zero;

    /// <summary>A Snapplify that never answers /payment/validate (<c>Sandbox__Snapplify__ValidateHangs</c>): the call
    /// waits until the caller gives up. Tests switch it on and off with <see cref="SnapplifyState.ValidateHangs"/>.</summary>
    public bool ValidateHangs { get; set; }

    /// <summary>The same for /payment/ipn/validate (<c>Sandbox__Snapplify__IpnValidateHangs</c>).</summary>
    public bool IpnValidateHangs { get; set; }

    public bool IsClient(string? client, string? secret) =>
        client is not null && secret is not null && Clients.TryGetValue(client, out var expected)
        && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(secret));
}
