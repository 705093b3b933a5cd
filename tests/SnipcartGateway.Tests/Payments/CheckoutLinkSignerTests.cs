using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// The checkout link's signature on its own: what it signs (provider, mode and order), under which key, and that
/// changing any of them, or the signature, makes the link invalid.
/// </summary>
public sealed class CheckoutLinkSignerTests
{
    private static readonly SnipcartInvoice Order = new() { Currency = "usd", Amount = 409.29m, TargetId = "cart-1" };

    private static CheckoutLinkSigner Signer(string? test = "sk_test", string? live = "sk_live") =>
        new(Options.Create(new SnipcartOptions { SecretKeys = new SnipcartSecretKeys { Test = test, Live = live } }));

    private static string Hmac(string key, string message) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message)));

    [Fact]
    public void The_signature_is_the_modes_key_over_provider_mode_and_order()
    {
        var signer = Signer();

        Assert.Equal(Hmac("sk_test", "checkout|sandboxpay|test|cart-1|USD|409.29"), signer.Sign("SandboxPay", PaymentMode.Test, Order));
        Assert.Equal(Hmac("sk_live", "checkout|sandboxpay|live|cart-1|USD|409.29"), signer.Sign("sandboxpay", PaymentMode.Live, Order));
    }

    [Fact]
    public void With_the_same_key_for_both_modes_a_test_link_is_no_live_link()
    {
        // Nothing obliges a merchant to keep two keys apart: the mode must be signed, not only implied by the key.
        var signer = Signer(test: "one-key", live: "one-key");
        var testSig = signer.Sign("sandboxpay", PaymentMode.Test, Order);

        Assert.True(signer.IsValid("sandboxpay", PaymentMode.Test, Order, testSig));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Live, Order, testSig));
        Assert.NotEqual(testSig, signer.Sign("sandboxpay", PaymentMode.Live, Order));
    }

    [Fact]
    public void A_link_is_valid_for_its_own_provider_mode_and_order_only()
    {
        var signer = Signer();
        var sig = signer.Sign("sandboxpay", PaymentMode.Test, Order);

        Assert.True(signer.IsValid("sandboxpay", PaymentMode.Test, Order, sig));
        Assert.True(signer.IsValid("SANDBOXPAY", PaymentMode.Test, Order, sig));
        Assert.False(signer.IsValid("smartpay", PaymentMode.Test, Order, sig));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Live, Order, sig));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order with { TargetId = "cart-2" }, sig));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order with { Currency = "eur" }, sig));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order with { Amount = 409.28m }, sig));
    }

    [Fact]
    public void A_missing_edited_or_foreign_signature_is_refused()
    {
        var signer = Signer();
        var sig = signer.Sign("sandboxpay", PaymentMode.Test, Order)!;

        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order, null));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order, ""));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order, sig[..^1]));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order, (sig[0] == 'A' ? "B" : "A") + sig[1..]));
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Test, Order, Hmac("another-store", "checkout|sandboxpay|test|cart-1|USD|409.29")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_mode_without_a_secret_key_has_no_link_and_accepts_none(string? liveKey)
    {
        var signer = Signer(live: liveKey);

        Assert.Null(signer.Sign("sandboxpay", PaymentMode.Live, Order));
        // Not even a signature made with an empty key.
        Assert.False(signer.IsValid("sandboxpay", PaymentMode.Live, Order, Hmac(liveKey ?? "", "checkout|sandboxpay|live|cart-1|USD|409.29")));
        Assert.NotNull(signer.Sign("sandboxpay", PaymentMode.Test, Order));
    }

    [Fact]
    public void An_invoice_without_a_currency_is_bound_without_throwing()
    {
        // Runs before the invoice is validated: Snipcart's JSON may leave the currency out.
        Assert.Equal("c||10", CheckoutLinkSigner.OrderBinding(new SnipcartInvoice { TargetId = "c", Currency = null!, Amount = 10m }));
        Assert.Equal("c|NOT A CURRENCY|10", CheckoutLinkSigner.OrderBinding(new SnipcartInvoice { TargetId = "c", Currency = "not a currency", Amount = 10m }));
    }

    [Theory]
    [InlineData(" CART-1 ", " usd ", "409.290", "cart-1|USD|409.29")]
    [InlineData(null, "JPY", "400", "|JPY|400")]
    [InlineData("c", "eur", "10.00", "c|EUR|10")]
    [InlineData("c", "eur", "0.10", "c|EUR|0.1")]
    public void The_order_binding_is_cart_currency_and_total_in_one_spelling(string? targetId, string currency, string amount, string expected)
    {
        var invoice = new SnipcartInvoice { TargetId = targetId, Currency = currency, Amount = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) };

        Assert.Equal(expected, CheckoutLinkSigner.OrderBinding(invoice));
    }
}
