using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// The order's number (Snipcart's invoice number) reaches every provider in the field its shopper reads (Snapplify's
/// and Sandbox Pay's <c>description</c>, Smartpay's order <c>description</c>, J.P. Morgan's <c>payment.description</c>),
/// through the real gateway under the Functions host and the simulators; the reference each provider's answers are
/// verified against stays our payment reference. The payment status call names the order too.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class OrderNumberAtProvidersTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Theory]
    [InlineData("sandboxpay")]
    [InlineData("sandboxwidget")]
    [InlineData("snapplify")]
    [InlineData("smartpay")]
    [InlineData("jpmsmartpay")]
    public async Task The_provider_is_sent_the_orders_number_as_the_description_and_our_reference_as_its_reference(string provider)
    {
        var (session, token) = provider switch
        {
            "snapplify" => _h.NewSession(unitPrice: 449.50m, currency: "zar", billingCountry: "ZA"),
            "smartpay" => _h.NewSession(unitPrice: 1500m, currency: "jpy", language: "ja", billingCountry: "JP"),
            "jpmsmartpay" => _h.NewSession(currency: "eur"),
            _ => _h.NewSession(),
        };
        var number = session.Invoice.InvoiceNumber!;

        var paymentRef = provider is "sandboxwidget" or "jpmsmartpay"
            ? (await _h.StartWidgetPaymentAsync(token, provider)).PaymentRef
            : (await _h.StartPaymentAsync(token, provider: provider)).PaymentRef;

        var (reference, description) = SentTo(provider, paymentRef);
        Assert.Equal(paymentRef, reference);
        Assert.Equal($"Order {number}: 2 x Rosy-Fingered Dawn at Louse Point", description);

        using var client = _h.Gateway.CreateHttpClient();
        var status = JsonDocument.Parse(await client.GetStringAsync($"api/checkout/payments/{paymentRef}")).RootElement;
        Assert.Equal(number, status.GetProperty("orderNumber").GetString());
    }

    /// <summary>What the provider's simulator recorded of the create call: the reference it verifies against, and
    /// the text it shows the shopper.</summary>
    private (string? Reference, string? Description) SentTo(string provider, string paymentRef)
    {
        switch (provider)
        {
            case "snapplify":
                var snap = _h.Sandbox.Snapplify.FindByReference(paymentRef) ?? throw new InvalidOperationException("no Snapplify payment");
                return (snap.ReferenceCode, snap.Description);
            case "smartpay":
                var order = _h.Sandbox.Smartpay.FindOrderByReference(paymentRef) ?? throw new InvalidOperationException("no Smartpay order");
                return (order.Reference, order.Description);
            case "jpmsmartpay":
                var jpm = _h.Sandbox.Services.GetRequiredService<JpmSmartPayState>().FindByReference(paymentRef) ?? throw new InvalidOperationException("no J.P. Morgan transaction");
                return (jpm.PartnerReference, jpm.Description);
            default:
                var sandbox = _h.State.FindSandboxPayPaymentByReference(paymentRef) ?? throw new InvalidOperationException("no Sandbox Pay payment");
                return (sandbox.Reference, sandbox.Description);
        }
    }

    [Fact]
    public async Task Smartpays_order_echoes_the_description_it_was_sent()
    {
        var (session, token) = _h.NewSession(unitPrice: 1500m, currency: "jpy", language: "ja", billingCountry: "JP");
        var (paymentRef, redirect) = await _h.StartPaymentAsync(token, provider: "smartpay");

        // The simulator's checkout page shows the shopper what the merchant described.
        using var client = new HttpClient();
        var page = await client.GetStringAsync(redirect);
        Assert.Contains(WebUtility.HtmlEncode($"Order {session.Invoice.InvoiceNumber}: 2 x Rosy-Fingered Dawn at Louse Point"), page, StringComparison.Ordinal);
        Assert.Equal(paymentRef, _h.Sandbox.Smartpay.FindOrderByReference(paymentRef)!.Reference);
    }
}
