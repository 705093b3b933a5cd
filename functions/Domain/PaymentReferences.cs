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

    public static bool IsWellFormedPaymentRef(string? value) =>
        value is { Length: 30 } && value.StartsWith("pay_", StringComparison.Ordinal) && value[4..].All(c => Alphabet.Contains(c));

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
