using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Providers.SandboxPay;

/// <summary>
/// Checks <c>SandboxPay-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256(secret, "t.body")&gt;</c>: a constant-time
/// compare against each configured mode's secret, and a 5-minute window on t against replays. Sandbox Pay and Sandbox
/// Widget (the same simulator) sign alike.
/// </summary>
public static class SandboxPayNotificationVerifier
{
    public const string HeaderName = "SandboxPay-Signature";
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>The mode whose secret signed the body; throws <see cref="ProviderNotificationRejectedException"/> otherwise.</summary>
    public static PaymentMode Verify<TMode>(string body, IReadOnlyDictionary<string, string> headers, ProviderOptions<TMode> options, DateTimeOffset now, string providerId = SandboxPayProvider.ProviderId)
        where TMode : SandboxPayModeKeys, new()
    {
        var header = headers.FirstOrDefault(h => string.Equals(h.Key, HeaderName, StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrWhiteSpace(header))
        {
            throw Reject(providerId, "missing signature header");
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = part.IndexOf('=') is var i and > 0 ? (part[..i], part[(i + 1)..]) : (part, "");
            if (name == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (name == "v1" && value.Length == 64 && value.All(char.IsAsciiHexDigit))
            {
                signatures.Add(Convert.FromHexString(value));
            }
        }
        if (timestamp is null || signatures.Count == 0)
        {
            throw Reject(providerId, "malformed signature header");
        }
        if (!SignatureTimestamp.IsFresh(timestamp.Value, now, Tolerance))
        {
            throw Reject(providerId, "signature timestamp outside the 5-minute tolerance");
        }

        foreach (var mode in new[] { PaymentMode.Test, PaymentMode.Live })
        {
            var secret = options.For(mode).SigningSecret;
            if (string.IsNullOrWhiteSpace(secret))
            {
                continue;
            }
            var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
            if (signatures.Any(s => CryptographicOperations.FixedTimeEquals(s, expected)))
            {
                return mode;
            }
        }
        throw Reject(providerId, "signature does not match");
    }

    private static ProviderNotificationRejectedException Reject(string providerId, string why) =>
        new(providerId, "Sandbox Pay notification rejected: " + why + ".");
}
