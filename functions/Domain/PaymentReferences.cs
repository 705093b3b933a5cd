using System.Security.Cryptography;

namespace SnipcartGateway.Domain;

/// <summary>
/// Our own ids. A payment reference is also a capability (it is in the refund URL Snipcart calls), so it is
/// 128 random bits. The alphabet fits every provider's reference rules ([A-Za-z0-9_-], under 64 chars) and
/// Table Storage keys.
/// </summary>
public static class PaymentReferences
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    public static string NewPaymentRef() => "pay_" + Random(26);

    public static string NewRefundId() => Guid.NewGuid().ToString();

    public static string NewClaimId() => Random(16);

    public static string NewRefundKey() => Random(32);

    /// <summary>Constant-time comparison, so the key cannot be guessed from response times.</summary>
    public static bool KeysMatch(string? presented, string expected) =>
        presented is not null &&
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(expected));

    public static bool IsWellFormedPaymentRef(string? value) =>
        value is { Length: 30 } && value.StartsWith("pay_", StringComparison.Ordinal) && value[4..].All(c => Alphabet.Contains(c));

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
