using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Payments;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Hardening;

/// <summary>
/// The checkout link's signature is bound to the order the webhook was called for: another order's token with it
/// is refused before anything is recorded, while the link the webhook made for an order pays that order.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CheckoutLinkBindingTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    /// <summary>Snipcart's webhook for this session's order, as the sandbox's store sends it; returns the link's sig.</summary>
    private async Task<string> WebhookSigAsync(string token)
    {
        var invoice = _h.State.FindSessionByToken(token)!.Invoice;
        using var client = _h.Gateway.CreateHttpClient();
        var response = await client.PostAsJsonAsync("api/snipcart/payment-methods", new
        {
            publicToken = token,
            mode = "test",
            invoice = new { currency = invoice.Currency, amount = invoice.Amount, targetId = invoice.TargetId, billingAddress = new { country = "US" } },
        });
        response.EnsureSuccessStatusCode();
        var checkoutUrl = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement[0].GetProperty("checkoutUrl").GetString()!;
        return System.Web.HttpUtility.ParseQueryString(new Uri(checkoutUrl).Query)["sig"]!;
    }

    [Fact]
    public async Task The_link_the_webhook_made_for_an_order_starts_its_payment()
    {
        var (_, token) = _h.NewSession();
        var sig = await WebhookSigAsync(token);
        using var client = _h.Gateway.CreateHttpClient();

        var response = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = token, provider = "sandboxpay", mode = "test", sig });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Another_orders_link_is_refused_before_anything_is_recorded()
    {
        var (_, first) = _h.NewSession(unitPrice: 10m);
        var (_, second) = _h.NewSession(unitPrice: 10m);   // same total and currency: only the cart tells them apart
        var sigOfFirst = await WebhookSigAsync(first);
        var payments = _h.State.SandboxPayPayments.Count;
        using var client = _h.Gateway.CreateHttpClient();

        var response = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = second, provider = "sandboxpay", mode = "test", sig = sigOfFirst });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("invalid_checkout_link", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        Assert.Equal(payments, _h.State.SandboxPayPayments.Count);
    }

    [Theory]
    [InlineData("usd", 409.29, "USD", 409.290)]
    [InlineData("Usd", 10, "USD", 10.00)]
    public void The_order_binding_reads_one_total_and_currency_whatever_their_spelling(string currencyA, double amountA, string currencyB, double amountB)
    {
        var a = new SnipcartInvoice { Currency = currencyA, Amount = (decimal)amountA, TargetId = "CART-1" };
        var b = new SnipcartInvoice { Currency = currencyB, Amount = (decimal)amountB, TargetId = "cart-1" };

        Assert.Equal(CheckoutLinkSigner.OrderBinding(a), CheckoutLinkSigner.OrderBinding(b));
    }

    [Fact]
    public void A_blank_or_odd_currency_never_throws_while_binding()
    {
        Assert.NotNull(CheckoutLinkSigner.OrderBinding(new SnipcartInvoice { Currency = "" }));
        Assert.NotNull(CheckoutLinkSigner.OrderBinding(new SnipcartInvoice { Currency = "not a currency" }));
    }
}
