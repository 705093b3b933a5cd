using System.Collections.Concurrent;
using Microsoft.Playwright;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Tests.Browser;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// A person paying a ZAR cart with Snapplify Pay in headless Chromium: the sandbox's demo store and Snipcart, the
/// gateway's page and API under the Functions host, Snapplify's simulated hosted page, and Azurite.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SnapplifyBrowserTests(GatewayStackFixture stack, BrowserFixture browser) : BrowserPageTests(stack, browser)
{

    /// <summary>Fills a ZAR cart billed to South Africa, checks out, and picks Snapplify Pay; returns the new session's id.</summary>
    private async Task<string> CheckOutWithSnapplifyAsync()
    {
        // The sandbox is shared: this shopper's session is the one the store creates now.
        var earlier = _h.State.Sessions.Select(s => s.Id).ToHashSet();
        await _page.GotoAsync(_h.Sandbox.BaseAddress.ToString());
        await _page.SelectOptionAsync("#currency", "zar");
        await _page.SelectOptionAsync("select[name=country]", "ZA");
        await _page.Locator("#products button").First.ClickAsync();
        await _page.ClickAsync("#checkout-button");
        var snapplify = _page.Locator("#methods").GetByRole(AriaRole.Button, new() { Name = "Snapplify Pay" });
        await Expect(snapplify).ToBeVisibleAsync();
        await Expect(_page.Locator("#payment-status")).ToContainTextAsync("ZAR");
        await snapplify.ClickAsync();

        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await Expect(_page.Locator("#pay-with")).ToContainTextAsync("Snapplify Pay");
        return Assert.Single(_h.State.Sessions, s => !earlier.Contains(s.Id)).Id;
    }

    [Fact]
    public async Task A_shopper_pays_a_zar_cart_with_snapplify_and_sees_the_order_processed()
    {
        var sessionId = await CheckOutWithSnapplifyAsync();
        await _page.ClickAsync("#pay");

        await _page.WaitForURLAsync("**/snapplify/payment/submit?**");
        await Expect(_page.Locator("h1")).ToContainTextAsync("ZAR");
        await _page.ClickAsync("button[value=approve]");

        await _page.WaitForURLAsync($"**/store/orders/{sessionId}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
        Assert.Equal(1, _h.State.ConfirmationsFor(sessionId));
        Assert.Equal("ZAR", _h.Sandbox.Snapplify.Payments.Last().Currency);
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task A_declined_shopper_sees_snapplifys_message_picks_again_and_pays()
    {
        var sessionId = await CheckOutWithSnapplifyAsync();
        await _page.ClickAsync("#pay");
        await _page.WaitForURLAsync("**/snapplify/payment/submit?**");
        await _page.ClickAsync("button[value=decline]");

        // Back at Snipcart with the provider's own words, and the payment methods to choose from again.
        await _page.WaitForURLAsync($"**/store/orders/{sessionId}");
        await Expect(_page.Locator("body")).ToContainTextAsync(SnapplifySubmitPage.DeclineMessage);
        var again = _page.Locator("#pick-again button", new() { HasText = "Snapplify Pay" });
        await Expect(again).ToBeVisibleAsync();
        await again.ClickAsync();

        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await _page.ClickAsync("#pay");
        await _page.WaitForURLAsync("**/snapplify/payment/submit?**");
        await _page.ClickAsync("button[value=approve]");
        await _page.WaitForURLAsync($"**/store/orders/{sessionId}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
        Assert.Equal(["failed", "processed"], _h.State.PaymentCallsFor(sessionId).Select(c => c.State));
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task A_payment_snapplify_will_not_start_is_told_in_the_pages_words_and_the_shopper_tries_again()
    {
        await CheckOutWithSnapplifyAsync();
        _h.Sandbox.Snapplify.FailNextRequest(new SnapplifyRequestFault(400, "MERCHANT_SUSPENDED", "This store cannot take payments right now."));

        await _page.ClickAsync("#pay");

        // Snapplify's own (English) text stays on the attempt for support; the shopper reads the page's words for the
        // problem's code, in the order's language.
        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync("This payment method could not start the payment. Please try again or choose another one.");
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();
        await Expect(_page.Locator("#back-link")).ToBeVisibleAsync(); // back to Snipcart to pick another method
        await _page.ClickAsync("#pay");
        await _page.WaitForURLAsync("**/snapplify/payment/submit?**");
    }
}
