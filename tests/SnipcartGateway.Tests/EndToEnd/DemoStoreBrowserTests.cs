using System.Collections.Concurrent;
using Microsoft.Playwright;
using SnipcartGateway.Tests.Browser;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// A person's checkout in headless Chromium, through everything real: the sandbox's demo store and Snipcart,
/// the gateway's page and API under the Functions host, Sandbox Pay's hosted page, and Azurite.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class DemoStoreBrowserTests(GatewayStackFixture stack, BrowserFixture browser) : BrowserPageTests(stack, browser)
{

    [Fact]
    public async Task A_shopper_buys_from_the_demo_store_and_sees_the_order_confirmed()
    {
        // The sandbox is shared: this shopper's session is the one the store creates now.
        var earlier = _h.State.Sessions.Select(s => s.Id).ToHashSet();
        await _page.GotoAsync(_h.Sandbox.BaseAddress.ToString());
        await _page.Locator("#products button").First.ClickAsync();
        await _page.ClickAsync("#checkout-button");
        var method = _page.Locator("#methods a, #methods button").First;
        // Snipcart shows a method's icon (the payment-methods answer's iconUrl) instead of its name.
        var icon = method.Locator("img");
        await Expect(icon).ToHaveAttributeAsync("alt", "Sandbox Pay (test only)");
        Assert.True(await icon.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the provider's icon did not load");
        await method.ClickAsync();

        // Our checkout page, showing Snipcart's session as fetched by the gateway.
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        var session = Assert.Single(_h.State.Sessions, s => !earlier.Contains(s.Id));
        await Expect(_page.Locator("#items-body")).ToContainTextAsync(session.Invoice.Items[0].Name);
        await _page.ClickAsync("#pay");

        // Sandbox Pay's hosted page, then back through the gateway to Snipcart's order page.
        await _page.WaitForURLAsync("**/sandboxpay/pay/**");
        await _page.ClickAsync("button[value=pay]");
        await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task A_real_session_item_named_like_html_is_shown_as_text()
    {
        const string name = "<img src=x onerror=alert(1)>";
        var (_, token) = _h.NewSession(itemName: name);

        await _page.GotoAsync(_h.CheckoutPageUrl(token));

        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await Expect(_page.Locator("#items-body")).ToContainTextAsync(name);
        Assert.Equal(0, await _page.EvaluateAsync<int>("() => document.querySelectorAll('img[src=\"x\"]').length"));
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task An_expired_token_shows_the_expired_message()
    {
        var (_, token) = _h.NewSession();
        _h.State.ExpireToken(token);

        await _page.GotoAsync(_h.CheckoutPageUrl(token));

        await Expect(_page.Locator("#view-expired")).ToBeVisibleAsync();
        await Expect(_page.Locator("#view-ready")).ToBeHiddenAsync();
    }
}
