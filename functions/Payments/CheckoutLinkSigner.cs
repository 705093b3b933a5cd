using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Payments;

/// <summary>
/// Snipcart's session does not say whether it is test or live, so the mode travels in our checkoutUrl, where a
/// shopper could edit it (a live order paid with test credentials). The link therefore carries
/// <c>sig = HMAC-SHA256(that mode's Snipcart secret key, "checkout|provider|mode")</c>: an edited mode or
/// provider no longer matches, and nobody without the store's secret key can make a valid one.
/// </summary>
public sealed class CheckoutLinkSigner(IOptions<SnipcartOptions> options)
{
    /// <summary>The signature for a link, or null when the mode has no secret key (then no link is offered).</summary>
    public string? Sign(string providerId, PaymentMode mode)
    {
        var key = options.Value.SecretKeys.For(mode);
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"checkout|{providerId.ToLowerInvariant()}|{mode.ToWire()}"));
        return Base64Url.EncodeToString(mac);
    }

    public bool IsValid(string providerId, PaymentMode mode, string? signature) =>
        signature is not null && Sign(providerId, mode) is { } expected &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
}
