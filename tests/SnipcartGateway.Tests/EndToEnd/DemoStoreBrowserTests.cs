using System.Collections.Concurrent;
using Microsoft.Playwright;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class AzuriteBrowserCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Azurite and browser";
}

/// <summary>
/// A person's checkout in headless Chromium, through everything real: the sandbox's demo store and Snipcart,
/// the gateway's page and API, Sandbox Pay's hosted page, and Azurite.
/// </summary>
[Collection(AzuriteBrowserCollection.Name)]
public sealed class DemoStoreBrowserTests(AzuriteFixture azurite, BrowserFixture browser) : IAsyncLifetime
{
    private GatewayHarness _h = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly ConcurrentQueue<string> _dialogs = new();

    public async Task InitializeAsync()
    {
        _h = GatewayHarness.Start(azurite);
        _context = await browser.NewContextAsync();
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(15_000);
        _page.Dialog += (_, dialog) =>
        {
            _dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
    }

    public async Task DisposeAsync()
    {
        await _context.CloseAsync();
        await _h.DisposeAsync();
    }

    [Fact]
    public async Task A_shopper_buys_from_the_demo_store_and_sees_the_order_confirmed()
    {
        await _page.GotoAsync(_h.Sandbox.BaseAddress.ToString());
        await _page.Locator("#products button").First.ClickAsync();
        await _page.ClickAsync("#checkout-button");
        var method = _page.Locator("#methods a, #methods button").First;
        await Expect(method).ToContainTextAsync("Sandbox Pay");
        await method.ClickAsync();

        // Our checkout page, showing Snipcart's session as fetched by the gateway.
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        var session = Assert.Single(_h.State.Sessions);
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
