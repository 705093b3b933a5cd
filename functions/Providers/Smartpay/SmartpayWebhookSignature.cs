using System.Globalization;
using System.Security.Cryptography;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// Smartpay's webhook signature, as its SDKs verify it (sdk-node <c>webhooks.ts</c>, sdk-go <c>utils.go</c>):
/// <c>Smartpay-Signature</c> = lower-case hex HMAC-SHA256, keyed with the Base62-decoded signing secret, of
/// <c>"{Smartpay-Signature-Timestamp}." + raw body</c>. The SDKs compare with plain string equality and check no
/// timestamp; we compare in constant time and refuse timestamps (epoch milliseconds) outside a tolerance.
/// </summary>
public static class SmartpayWebhookSignature
{
    public const string SignatureHeader = "Smartpay-Signature";
    public const string TimestampHeader = "Smartpay-Signature-Timestamp";
    public const string SubscriptionHeader = "Smartpay-Subscription-Id";

    /// <summary>The hex signature of <paramref name="signedData"/> ("timestamp.body") under a Base62 signing secret.</summary>
    public static string Compute(string signingSecret, string signedData) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Base62.Decode(signingSecret), Encoding.UTF8.GetBytes(signedData)));

    /// <summary>
    /// The mode whose signing secret signed the body: only <paramref name="mode"/>'s when the notification URL names
    /// one, else each configured mode's. Throws <see cref="ProviderNotificationRejectedException"/> otherwise.
    /// </summary>
    public static PaymentMode Verify(string body, IReadOnlyDictionary<string, string> headers, SmartpayOptions options, PaymentMode? mode, DateTimeOffset now)
    {
        var signature = Header(headers, SignatureHeader);
        var timestampText = Header(headers, TimestampHeader);
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestampText))
        {
            throw Reject("missing Smartpay-Signature or Smartpay-Signature-Timestamp");
        }
        signature = signature.Trim();
        if (signature.Length != 64 || !signature.All(char.IsAsciiHexDigit))
        {
            throw Reject("malformed signature");
        }
        if (!long.TryParse(timestampText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            throw Reject("malformed timestamp");
        }
        if (!SignatureTimestamp.IsFreshMilliseconds(timestamp, now, options.WebhookTolerance))
        {
            throw Reject($"timestamp outside the {options.WebhookTolerance} tolerance");
        }

        var presented = Convert.FromHexString(signature);
        // The header's own text is signed, not a re-formatted number: what the SDKs do.
        var signed = Encoding.UTF8.GetBytes(timestampText.Trim() + "." + body);
        var modes = mode is { } only ? [only] : new[] { PaymentMode.Test, PaymentMode.Live };
        foreach (var candidate in modes)
        {
            var secret = options.For(candidate).SigningSecret?.Trim();
            if (!Base62.IsValid(secret))
            {
                continue;
            }
            var expected = HMACSHA256.HashData(Base62.Decode(secret!), signed);
            if (CryptographicOperations.FixedTimeEquals(presented, expected))
            {
                return candidate;
            }
        }
        throw Reject("signature does not match");
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static ProviderNotificationRejectedException Reject(string why) =>
        new(SmartpayProvider.ProviderId, "Smartpay webhook rejected: " + why + ".");
}
