using System.Security.Cryptography;
using System.Text;

namespace SnipcartGateway.Sandbox;

/// <summary>Identifiers shaped like the real ones, so the gateway is tested against what it will meet.</summary>
public static class SandboxIds
{
    /// <summary>
    /// Like Snipcart's documented example "b2eb036a-842ee242-0d2d-4fad-bc9a-de16411fc6d1": five-plus groups,
    /// not a valid GUID, so a gateway that parses it as one fails here as it would in production.
    /// </summary>
    public static string SessionId() =>
        $"{Hex(4)}-{Hex(4)}-{Hex(2)}-{Hex(2)}-{Hex(2)}-{Hex(6)}";

    /// <summary>A JWT-looking token (header.payload.signature, base64url) that carries nothing to decode.</summary>
    public static string PublicToken(DateTimeOffset expiresAt)
    {
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var payload = Base64Url(Encoding.UTF8.GetBytes($$"""{"jti":"{{Hex(12)}}","exp":{{expiresAt.ToUnixTimeSeconds()}}}"""));
        var signature = Base64Url(RandomNumberGenerator.GetBytes(32));
        return $"{header}.{payload}.{signature}";
    }

    public static string SandboxPayPaymentId() => "sp_" + Hex(12);

    /// <summary>A widget payment's checkout token: what the merchant's page hands the widget script.</summary>
    public static string SandboxWidgetCheckoutToken() => "ct_" + Hex(16);

    public static string SandboxPayRefundId() => "re_" + Hex(12);

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
