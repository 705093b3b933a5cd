using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Api;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.CheckoutPage;

/// <summary>What the page is given to show, from a Snipcart session: pure code, called directly.</summary>
public sealed class CheckoutSessionViewTests
{
    private static SnipcartItem Item(string name, decimal unitPrice, decimal quantity = 1, string? type = "Physical") =>
        new() { Name = name, UnitPrice = unitPrice, Quantity = quantity, Type = type, Amount = unitPrice * quantity };

    private static SnipcartPaymentSession Session(string? backUrl = "https://shop.example/#/checkout", string currency = "usd", string? language = "en", params SnipcartItem[] items) => new()
    {
        Id = "b2eb036a-842ee242-0d2d-4fad-bc9a-de16411fc6d1",
        PaymentAuthorizationRedirectUrl = backUrl,
        Invoice = new SnipcartInvoice { Currency = currency, Language = language, Amount = 125.02m, Items = items },
    };

    private static CheckoutSessionView? View(SnipcartPaymentSession session)
    {
        // The real Sandbox Pay provider from the gateway's own registrations: the view only reads its id and name.
        using var services = StandaloneGatewaySettings.BuildServices(StandaloneGatewaySettings.Create());
        var provider = services.GetRequiredService<IProviderRegistry>().Find("sandboxpay")!;
        return CheckoutSessionView.TryFrom(session, PaymentMode.Test, provider);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("/#/checkout")]
    [InlineData("")]
    [InlineData(null)]
    public void Back_url_that_is_not_absolute_http_is_dropped(string? backUrl) =>
        Assert.Null(View(Session(backUrl))!.BackUrl);

    [Theory]
    [InlineData("https://shop.example/#/checkout")]
    [InlineData("http://127.0.0.1:7080/#/checkout")]
    public void Http_back_url_is_kept(string backUrl) =>
        Assert.Equal(backUrl, View(Session(backUrl))!.BackUrl);

    [Fact]
    public void Totals_sum_by_item_type_and_the_total_is_snipcarts_own()
    {
        var view = View(Session(items:
        [
            Item("Book", 49.95m, 2),
            Item("E-book", 12.00m, 1, "Digital"),
            Item("Gift wrap", 3.00m, 1, "SomethingNew"),
            Item("SUMMER10", -10.00m, 1, "Discount"),
            Item("Sales tax", 8.12m, 1, " tax "),
            Item("Express shipping", 15.00m, 1, "SHIPPING"),
            Item("Untyped", 1.00m, 1, null),
        ]))!;

        // Unknown and missing types count as goods: no line is silently left out of the subtotal.
        Assert.Equal(new CheckoutTotalsView(115.90m, -10.00m, 8.12m, 15.00m, 125.02m), view.Totals);
        Assert.Equal(7, view.Items.Count);
        Assert.Equal("sandboxpay", view.Provider.Id);
        Assert.Equal("test", view.Mode);
        Assert.Equal("USD", view.Currency);
    }

    [Fact]
    public void Missing_language_falls_back_to_english()
    {
        Assert.Equal("en", View(Session(language: null))!.Language);
        Assert.Equal("fr", View(Session(language: " fr "))!.Language);
    }

    [Fact]
    public void Session_without_a_valid_currency_cannot_be_shown() =>
        Assert.Null(View(Session(currency: "dollars")));
}
