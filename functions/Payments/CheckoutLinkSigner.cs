using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Payments;

/// <summary>
/// Snipcart's session does not say whether it is test or live, so the mode travels in our checkoutUrl, where a
/// shopper could edit it (a live order paid with test credentials), or reuse a test link's signature with a live
/// order's token. The link therefore carries
/// <c>sig = HMAC-SHA256(that mode's Snipcart secret key, "checkout|provider|mode|order")</c>, where <c>order</c> is
/// what the payment-methods webhook's invoice and the payment session's invoice share: the cart's id
/// (<c>targetId</c>), the currency and the grand total (<see cref="OrderBinding"/>). An edited mode or provider, or
/// a signature taken from another order's link, no longer matches; nobody without the store's secret key can make one.
/// The page's link is made anew each time Snipcart calls the webhook, so a cart changed after it needs a new link,
/// which Snipcart's payment step asks for anyway.
/// </summary>
public sealed class CheckoutLinkSigner(IOptions<SnipcartOptions> options)
{
    /// <summary>The signature for a link, or null when the mode has no secret key (then no link is offered).</summary>
    public string? Sign(string providerId, PaymentMode mode, SnipcartInvoice invoice)
    {
        var key = options.Value.SecretKeys.For(mode);
        if (string.IsNullOrWhiteSpace(key))
        {
            return null;
        }
        var message = $"checkout|{providerId.ToLowerInvariant()}|{mode.ToWire()}|{OrderBinding(invoice)}";
        // Into the stack, not a new array: this runs for every offered provider on every visit to the payment step
        // (docs/benchmarks.md, the profile).
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message), mac);
        return Base64Url.EncodeToString(mac);
    }

    public bool IsValid(string providerId, PaymentMode mode, SnipcartInvoice invoice, string? signature) =>
        signature is not null && Sign(providerId, mode, invoice) is { } expected &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));

    /// <summary>
    /// The order as both invoices describe it: cart id (empty when Snipcart sends none), upper-case currency and the
    /// total in invariant culture without trailing zeros (409.290 and 409.29 are one total).
    /// </summary>
    public static string OrderBinding(SnipcartInvoice invoice) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        // Not CurrencyCodes.Normalize: this runs before the invoice is validated and must never throw.
        $"{(invoice.TargetId ?? "").Trim().ToLowerInvariant()}|{(invoice.Currency ?? "").Trim().ToUpperInvariant()}|{invoice.Amount / 1.000000000000000000000000000000000m}");
}
