using System.Security.Cryptography;
using System.Text;

namespace SnipcartGateway.Sandbox.SandboxPay;

/// <summary>
/// The SandboxPay-Signature header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>,
/// the scheme Stripe and others use: the timestamp inside the MAC lets receivers refuse replays.
/// </summary>
public static class SandboxPaySignature
{
    public const string HeaderName = "SandboxPay-Signature";

    public static string Create(string secret, long unixSeconds, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{unixSeconds}.{body}"));
        return $"t={unixSeconds},v1={Convert.ToHexStringLower(mac)}";
    }
}
