using Microsoft.Playwright;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// SmartPay's widget as a production SDK behaves, in headless Chromium under the page's real CSP: the simulated SDK
/// (web-sdk.js in its third-party mode) injects its own stylesheet, an inline style, frames its card fields from
/// another origin and calls an API on another host ("another origin" is the sandbox's other loopback name,
/// localhost vs 127.0.0.1). With Providers__JpmSmartPay__Test__WidgetOrigins and __StylesheetUrl set, all of it works
/// and the stylesheet is applied before render; without them the browser blocks it. A script that never loads, or
/// fails, gives up after the widget timeout and leaves the shopper a way on.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class JpmSmartPayWidgetLoadingBrowserTests(GatewayStackFixture stack, BrowserFixture browser) : BrowserPageTests(stack, browser)
{
    protected override float DefaultTimeoutMs => 20_000;

    private const string WatchViolations =
        "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', function (e) {"
        + " window.__cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI); });";

    private string SandboxOrigin => _h.Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>The same sandbox under its other loopback name: a distinct origin to the browser.</summary>
    private string OtherOrigin => "http://localhost:" + _h.Sandbox.BaseAddress.Port;

    private string PageUrl(GatewayHost gateway, string token) =>
        $"{gateway.BaseAddress}checkout/?provider=jpmsmartpay&mode=test&sig={_h.Sig("jpmsmartpay", "test", token)}&publicToken={Uri.EscapeDataString(token)}";

    private async Task<string[]> ViolationsAsync() => await _page.EvaluateAsync<string[]>("() => window.__cspViolations || []");

    [Fact]
    public async Task A_production_like_sdk_works_under_the_csp_the_settings_build_and_its_stylesheet_is_there_before_render()
    {
        var gateway = await _h.StartGatewayAsync(settings: new Dictionary<string, string?>
        {
            ["Providers:JpmSmartPay:Test:WidgetScriptUrl"] = SandboxOrigin + "/jpmsmartpay/web-sdk.js?thirdParty=1",
            ["Providers:JpmSmartPay:Test:WidgetOrigins"] = OtherOrigin,
            ["Providers:JpmSmartPay:Test:StylesheetUrl"] = OtherOrigin + "/jpmsmartpay/smartpay-style.css",
        });
        try
        {
            await _page.AddInitScriptAsync(WatchViolations);
            var (session, token) = _h.NewSession(currency: "eur");
            var response = await _page.GotoAsync(PageUrl(gateway, token));
            var csp = await response!.HeaderValueAsync("content-security-policy");
            Assert.Contains($"connect-src 'self' {SandboxOrigin} {OtherOrigin};", csp);
            Assert.Contains($"style-src 'self' 'unsafe-inline' {SandboxOrigin} {OtherOrigin};", csp);
            Assert.Contains($"frame-src {SandboxOrigin} {OtherOrigin} https:;", csp);
            await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
            await _page.ClickAsync("#pay");

            var widget = _page.Locator("#widget [data-smp=widget]");
            await Expect(widget).ToHaveAttributeAsync("data-smp-styled", "before-render");
            await Expect(widget).ToHaveAttributeAsync("data-smp-api", "ok");
            await Expect(widget).ToHaveAttributeAsync("data-smp-frame", "loaded");
            Assert.Equal("4px", await widget.EvaluateAsync<string>("e => getComputedStyle(e).marginTop"));
            Assert.Equal("1px", await widget.EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth")); // the SDK's own sheet
            Assert.Empty(await ViolationsAsync());

            await _page.Locator("#widget [data-smp-outcome=pay]").ClickAsync();
            await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
            Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
            Assert.Empty(_consoleErrors);
        }
        finally
        {
            await _h.StopGatewayAsync(gateway);
        }
    }

    [Fact]
    public async Task Without_the_widget_origins_the_browser_blocks_the_sdks_frame_and_api_calls()
    {
        // The shared gateway admits only the script's origin: the SDK's other host is refused by the page's CSP.
        await _page.AddInitScriptAsync(WatchViolations + " window.SmpSimulatorThirdParty = true;");
        var (_, token) = _h.NewSession(currency: "eur");
        await _page.GotoAsync(_h.CheckoutPageUrl(token, provider: "jpmsmartpay"));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await _page.ClickAsync("#pay");

        var widget = _page.Locator("#widget [data-smp=widget]");
        await Expect(widget).ToHaveAttributeAsync("data-smp-api", "blocked");
        await _page.WaitForFunctionAsync("() => (window.__cspViolations || []).some(v => v.startsWith('frame-src'))");
        var violations = await ViolationsAsync();
        Assert.Contains(violations, v => v.StartsWith("connect-src " + OtherOrigin, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("frame-src " + OtherOrigin, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("never answers")]
    [InlineData("fails")]
    public async Task A_widget_script_that_never_loads_or_fails_gives_up_and_offers_pay_again_or_another_method(string script)
    {
        var (session, token) = _h.NewSession(currency: "eur");
        var held = new List<IRoute>();
        await _page.RouteAsync("**/jpmsmartpay/web-sdk.js*", async route =>
        {
            if (script == "fails")
            {
                await route.AbortAsync();
            }
            else
            {
                held.Add(route); // never answered: the script stays "loading"
            }
        });
        await _page.GotoAsync(_h.CheckoutPageUrl(token, provider: "jpmsmartpay"));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        // The widget timeout is 15 s in production; the page reads it from <html data-widget-timeout-ms>.
        await _page.EvaluateAsync("() => document.documentElement.setAttribute('data-widget-timeout-ms', '1500')");
        await _page.ClickAsync("#pay");

        await Expect(_page.Locator("#pay-error")).ToContainTextAsync("The payment form could not be loaded");
        await Expect(_page.Locator("#other-method-block")).ToBeVisibleAsync();
        Assert.StartsWith("http", await _page.Locator("#other-method").GetAttributeAsync("href"));
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();

        // The way on works: the script loads this time, and the shopper pays.
        await _page.UnrouteAsync("**/jpmsmartpay/web-sdk.js*");
        foreach (var stale in held)
        {
            try
            {
                await stale.AbortAsync();
            }
            catch (PlaywrightException)
            {
                // Chromium already dropped the request when the page gave up on the script.
            }
        }
        await _page.ClickAsync("#pay");
        await _page.Locator("#widget [data-smp-outcome=pay]").ClickAsync();
        await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }
}
