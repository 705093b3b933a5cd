using System.Collections.Concurrent;
using Microsoft.Playwright;
using SnipcartGateway.Sandbox.Smartpay;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// A shopper paying a JPY cart with Smartpay in headless Chromium: the demo store (Snipcart), the gateway's page
/// under the Functions host, the Smartpay simulator's hosted checkout, and back.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SmartpayBrowserTests(GatewayStackFixture stack, BrowserFixture browser) : BrowserPageTests(stack, browser)
{

    private SmartpayState Smartpay => _h.Sandbox.Smartpay;

    /// <summary>Fills a JPY cart in the demo store and checks out; returns the new Snipcart session's id.</summary>
    private async Task<string> CheckOutJpyCartAsync()
    {
        var earlier = _h.State.Sessions.Select(s => s.Id).ToHashSet();
        await _page.GotoAsync(_h.Sandbox.BaseAddress.ToString());
        await _page.SelectOptionAsync("#currency", "jpy");
        await _page.SelectOptionAsync("select[name=country]", "JP"); // Smartpay is offered for Japanese billing addresses
        await _page.Locator("#products button").First.ClickAsync();
        await _page.ClickAsync("#checkout-button");
        await Expect(_page.Locator("#methods img[alt=Smartpay]")).ToBeVisibleAsync();
        return Assert.Single(_h.State.Sessions, s => !earlier.Contains(s.Id)).Id;
    }

    /// <summary>Picks Smartpay in the store, pays on our page, and arrives at Smartpay's hosted checkout.</summary>
    private async Task PickSmartpayAndPayAsync()
    {
        await _page.Locator("#methods").GetByRole(AriaRole.Button, new() { Name = "Smartpay" }).ClickAsync();
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await _page.ClickAsync("#pay");
        await _page.WaitForURLAsync("**/smartpay/checkout/**");
        await Expect(_page.Locator("#smartpay-amount")).ToContainTextAsync("¥");
    }

    [Fact]
    public async Task A_shopper_pays_a_jpy_cart_with_smartpay_and_lands_on_the_order_page_as_processed()
    {
        var sessionId = await CheckOutJpyCartAsync();
        await PickSmartpayAndPayAsync();
        var amount = _h.State.GetSession(sessionId)!.Invoice.Amount;
        await Expect(_page.Locator("#smartpay-amount")).ToHaveTextAsync("¥" + ((long)amount).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));

        await _page.ClickAsync("button[value=approve]");

        await _page.WaitForURLAsync($"**/store/orders/{sessionId}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
        Assert.Equal(1, _h.State.ConfirmationsFor(sessionId));
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task A_rejection_and_a_cancel_each_let_the_shopper_pick_again_and_then_pay()
    {
        var sessionId = await CheckOutJpyCartAsync();

        // Smartpay declines: back to the store's payment step, nothing told to Snipcart.
        await PickSmartpayAndPayAsync();
        await _page.ClickAsync("button[value=reject]");
        await _page.WaitForURLAsync("**/#/checkout");
        await Expect(_page.Locator("#payment-status")).ToContainTextAsync("not completed");
        await Expect(_page.Locator("#methods img[alt=Smartpay]")).ToBeVisibleAsync();

        // The shopper cancels on Smartpay's page: back again.
        await PickSmartpayAndPayAsync();
        await _page.ClickAsync("button[value=cancel]");
        await _page.WaitForURLAsync("**/#/checkout");
        await Expect(_page.Locator("#methods img[alt=Smartpay]")).ToBeVisibleAsync();
        Assert.DoesNotContain(_h.State.PaymentCallsFor(sessionId), c => c.State is "processed" or "failed");

        // Third time: approved.
        await PickSmartpayAndPayAsync();
        await _page.ClickAsync("button[value=approve]");
        await _page.WaitForURLAsync($"**/store/orders/{sessionId}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
        Assert.Equal(1, _h.State.ConfirmationsFor(sessionId));
        var orders = Smartpay.Orders.Where(o => _h.State.GetSession(sessionId) is not null && o.Amount == (long)_h.State.GetSession(sessionId)!.Invoice.Amount).ToList();
        Assert.Contains(orders, o => o.Status == SmartpaySimStatuses.Rejected);
        Assert.Contains(orders, o => o.Status == SmartpaySimStatuses.Succeeded);
        Assert.Empty(_dialogs);
    }
}
