using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// SmartPay by J.P. Morgan in headless Chromium: the demo store's EUR cart, our checkout page rendering the simulated
/// SmartPay web SDK from the sandbox's origin (admitted by the page's CSP), the widget's callbacks, and the gateway
/// asking SmartPay server to server under the Functions host.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class JpmSmartPayBrowserTests(GatewayStackFixture stack, BrowserFixture browser) : BrowserPageTests(stack, browser)
{
    protected override float DefaultTimeoutMs => 20_000;

    private JpmSmartPayState Smp => _h.Sandbox.Services.GetRequiredService<JpmSmartPayState>();

    [Fact]
    public async Task A_shopper_pays_a_eur_cart_through_the_widget_and_lands_on_the_order_page_as_processed()
    {
        var earlier = _h.State.Sessions.Select(s => s.Id).ToHashSet();
        await _page.GotoAsync(_h.Sandbox.BaseAddress.ToString());
        await _page.SelectOptionAsync("#currency", "eur");
        await _page.Locator("#products button").First.ClickAsync();
        await _page.ClickAsync("#checkout-button");
        var method = _page.Locator("#methods").GetByRole(AriaRole.Button, new() { Name = "SmartPay by J.P. Morgan" });
        await method.ClickAsync();

        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        var session = Assert.Single(_h.State.Sessions, s => !earlier.Contains(s.Id));
        await _page.ClickAsync("#pay");

        // SmartPay's (simulated) widget on our page, from the sandbox's origin.
        var pay = _page.Locator("#widget [data-smp-outcome=pay]");
        await Expect(pay).ToBeVisibleAsync();
        await pay.ClickAsync();

        await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var transaction = Assert.Single(Smp.Transactions, t => t.CurrencyCode == "EUR" && t.Amount == session.Invoice.Amount && t.Status == JpmStatuses.Captured);
        Assert.Contains(Smp.Calls, c => c.Path == "/jpmsmartpay/payment/status/" + transaction.TransactionId && c.AuthScheme == "Bearer");
        Assert.True(_consoleErrors.IsEmpty, string.Join('\n', _consoleErrors));
    }

    [Fact]
    public async Task A_declined_payment_shows_the_error_and_lets_the_shopper_pay_again()
    {
        var (session, token) = _h.NewSession(currency: "eur", language: "fr");
        await _page.GotoAsync(_h.CheckoutPageUrl(token, provider: "jpmsmartpay"));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await _page.ClickAsync("#pay");

        var decline = _page.Locator("#widget [data-smp-outcome=decline]");
        await Expect(decline).ToBeVisibleAsync();
        await decline.ClickAsync();

        // SmartPay's ERROR_INIT_PAYMENT as a decline in plain words (no provider code), in the shopper's language, and
        // two ways on: pay again, or another method.
        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync("Votre paiement a été refusé. Veuillez réessayer ou choisir un autre moyen de paiement.");
        await Expect(_page.Locator("#other-method-block")).ToBeVisibleAsync();
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        await _page.ClickAsync("#pay");
        var pay = _page.Locator("#widget [data-smp-outcome=pay]");
        await Expect(pay).ToBeVisibleAsync();
        await pay.ClickAsync();

        await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(2, Smp.Transactions.Count(t => t.Amount == session.Invoice.Amount && t.CurrencyCode == "EUR"
            && t.Status is JpmStatuses.AuthorizationFailed or JpmStatuses.Captured && t.CreatedAt >= session.CreatedAt));
    }

    [Fact]
    public async Task A_checkout_that_times_out_in_the_widget_starts_a_fresh_attempt_which_the_shopper_pays()
    {
        var (session, token) = _h.NewSession(currency: "eur");
        await _page.GotoAsync(_h.CheckoutPageUrl(token, provider: "jpmsmartpay"));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await _page.ClickAsync("#pay");
        await _page.Locator("#widget [data-smp-outcome=timeout]").ClickAsync();

        // ERROR_CHECKOUT_TIMEOUT: a new transaction and checkout token, rendered without the shopper doing anything.
        await _page.WaitForFunctionAsync("() => document.querySelectorAll('#widget [data-smp-outcome=pay]:not([disabled])').length === 1");
        var mine = Smp.Transactions.Where(t => t.CreatedAt >= session.CreatedAt && t.Amount == session.Invoice.Amount).ToList();
        Assert.True(mine.Count >= 2);
        await _page.Locator("#widget [data-smp-outcome=pay]").ClickAsync();

        await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }
}
