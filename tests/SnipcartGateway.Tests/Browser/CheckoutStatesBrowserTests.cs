using System.Text.Json;
using Microsoft.Playwright;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.CheckoutPage;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// Every state of the shopper's checkout in Chromium, on a desktop and on a phone (390x844): the page knows the
/// session's state (paid, a payment in flight), every error screen has a heading and a way on, every word is in the
/// order's language, the merchant's branding and address formats, Pay without scrolling, no sideways scroll at 360 px
/// on any gateway or sandbox page, and axe (axe-core from npm, injected by Playwright) finds no violation in any state.
/// With CHECKOUT_SCREENSHOTS set to a folder, each state is saved there as &lt;state&gt;-&lt;size&gt;.png
/// (scripts/checkout-screenshots.sh).
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CheckoutStatesBrowserTests(GatewayStackFixture stack, BrowserFixture browser) : BrowserPageTests(stack, browser)
{
    public const string Desktop = "desktop";
    public const string Phone = "phone";

    private static readonly Dictionary<string, ViewportSize> Sizes = new()
    {
        [Desktop] = new() { Width = 1280, Height = 800 },
        [Phone] = new() { Width = 390, Height = 844 },
    };

    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(RepoPaths.Combine("node_modules", "axe-core", "axe.min.js")));

    private string OrderPage(SandboxSession session) => new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}").ToString();

    private string StoreUrl => _h.Sandbox.BaseAddress.ToString();

    private async Task OpenAsync(string url, string size)
    {
        await _page.SetViewportSizeAsync(Sizes[size].Width, Sizes[size].Height);
        await _page.GotoAsync(url);
    }

    /// <summary>axe-core's own rules on the page as it is now: no violation of any kind. Evaluated through the
    /// DevTools protocol, so the page's strict CSP (no inline script) needs no exception.</summary>
    private async Task AssertAccessibleAsync(string state, string size)
    {
        await _page.EvaluateAsync(AxeSource.Value);
        var violations = await _page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))
            """);
        Assert.True(violations.GetArrayLength() == 0, $"axe found violations in '{state}' ({size}):\n{violations}");
        await ScreenshotAsync(state, size);
    }

    private async Task ScreenshotAsync(string state, string size)
    {
        if (Environment.GetEnvironmentVariable("CHECKOUT_SCREENSHOTS") is not { Length: > 0 } folder)
        {
            return;
        }
        Directory.CreateDirectory(folder);
        // Animations stopped so the spinner of a waiting state does not change the picture from run to run.
        await _page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"{state}-{size}.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });
    }

    /// <summary>The order's number (Snipcart's invoice number) under the page's title.</summary>
    private async Task AssertOrderNumberAsync(SandboxSession session) =>
        await Expect(_page.Locator("#order-number")).ToHaveTextAsync("Order " + session.Invoice.InvoiceNumber);

    /// <summary>No sideways scroll at 360 px: the document is no wider than the window.</summary>
    private async Task AssertNoSidewaysScrollAt360Async(string what)
    {
        await _page.SetViewportSizeAsync(360, 740);
        var widths = await _page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{what} scrolls sideways at 360 px ({widths[0]} > {widths[1]})");
    }

    private async Task PayAtSandboxPayAsync(string action)
    {
        await _page.Locator("#pay").ClickAsync();
        await _page.WaitForURLAsync("**/sandboxpay/pay/**");
        await _page.Locator($"button[value={action}]").ClickAsync();
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task A_paid_order_opened_again_or_reached_by_back_shows_paid_with_the_orders_link_and_no_pay(string size)
    {
        var (session, token) = _h.NewSession();
        await OpenAsync(_h.CheckoutPageUrl(token), size);
        await AssertOrderNumberAsync(session);
        await AssertAccessibleAsync("payable", size);

        await PayAtSandboxPayAsync("pay");
        await _page.WaitForURLAsync(OrderPage(session));

        // Back twice, through the provider's page, to the checkout page: paid, no Pay.
        await _page.GoBackAsync();
        await _page.GoBackAsync();
        await _page.WaitForURLAsync("**/checkout/?**");
        await Expect(_page.Locator("#view-paid h2")).ToHaveTextAsync("This order is paid");
        await Expect(_page.Locator("#pay")).ToBeHiddenAsync();

        // Reloaded, then the checkout link opened again.
        await _page.ReloadAsync();
        await Expect(_page.Locator("#view-paid h2")).ToHaveTextAsync("This order is paid");
        await Expect(_page.Locator("#pay")).ToBeHiddenAsync();
        await _page.GotoAsync(_h.CheckoutPageUrl(token));
        await Expect(_page.Locator("#view-paid h2")).ToHaveTextAsync("This order is paid");
        await Expect(_page.Locator("#paid-order")).ToHaveAttributeAsync("href", OrderPage(session));
        await Expect(_page.Locator("#pay")).ToBeHiddenAsync();
        await AssertOrderNumberAsync(session);
        await AssertAccessibleAsync("paid", size);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task The_status_page_of_a_second_payment_given_back_because_the_order_was_paid_goes_straight_to_the_order()
    {
        var (session, token) = _h.NewSession();
        var (first, second) = await _h.PayTwiceAtTheProviderAsync(session, token);
        (await _h.ReturnAsync(first)).Dispose();
        (await _h.ReturnAsync(second)).Dispose();

        // The second payment's own status page (a second tab, or its link opened again): its money is given back,
        // but the order is paid, so the order's page is the answer, not "this payment was not kept".
        await OpenAsync($"{_h.Gateway.BaseAddress}checkout/?paymentRef={second}", Desktop);

        await _page.WaitForURLAsync(OrderPage(session));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task A_payment_in_flight_is_shown_with_continue_and_cancel_and_after_cancelling_pay_is_back(string size)
    {
        var (session, token) = _h.NewSession();
        await OpenAsync(_h.CheckoutPageUrl(token), size);
        await _page.Locator("#pay").ClickAsync();
        await _page.WaitForURLAsync("**/sandboxpay/pay/**");
        var providerPage = _page.Url;

        // The shopper comes back without paying (Back, or the link again in another tab).
        await _page.GotoAsync(_h.CheckoutPageUrl(token));
        await Expect(_page.Locator("#progress-title")).ToHaveTextAsync("A payment for this order is in progress");
        await Expect(_page.Locator("#progress-continue")).ToHaveAttributeAsync("href", providerPage);
        await Expect(_page.Locator("#progress-cancel")).ToBeVisibleAsync();
        await Expect(_page.Locator("#pay")).ToBeHiddenAsync();
        await Expect(_page.Locator("#order-ref")).ToContainTextAsync("pay_");
        await AssertOrderNumberAsync(session);
        await AssertAccessibleAsync("in-progress", size);

        // The status screen of that payment (where the provider's return lands) names the order too.
        var paymentRef = Assert.Single(_h.State.SandboxPayPayments, p => p.Description?.Contains(session.Invoice.InvoiceNumber!, StringComparison.Ordinal) == true).Reference;
        await _page.GotoAsync($"{_h.Gateway.BaseAddress}checkout/?paymentRef={paymentRef}");
        await Expect(_page.Locator("#view-status")).ToBeVisibleAsync();
        await AssertOrderNumberAsync(session);

        await _page.GotoAsync(_h.CheckoutPageUrl(token));
        await _page.Locator("#progress-cancel").ClickAsync();

        await Expect(_page.Locator("#pay")).ToBeVisibleAsync();
        await Expect(_page.Locator("#last-payment")).ToHaveTextAsync("Your last payment was cancelled and you were not charged. You can pay again.");
        await AssertOrderNumberAsync(session);
        await AssertAccessibleAsync("cancelled", size);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task Every_error_screen_has_its_heading_and_a_way_on(string size)
    {
        var (session, token) = _h.NewSession();
        var page = $"{_h.Gateway.BaseAddress}checkout/";

        // No token: nothing known but the store.
        await OpenAsync($"{page}?provider=sandboxpay&mode=test&sig={_h.Sig(token: token)}", size);
        await Expect(_page.Locator("#expired-title")).ToHaveTextAsync("This checkout link is incomplete");
        await Expect(_page.Locator("#expired-back")).ToHaveAttributeAsync("href", StoreUrl);
        await AssertAccessibleAsync("error-incomplete-link", size);

        // A token Snipcart does not know.
        await _page.GotoAsync($"{page}?provider=sandboxpay&mode=test&sig=x&publicToken=garbage");
        await Expect(_page.Locator("#expired-title")).ToHaveTextAsync("This checkout link has expired");
        await Expect(_page.Locator("#expired-back")).ToHaveAttributeAsync("href", StoreUrl);
        await AssertAccessibleAsync("error-expired-link", size);

        // A tampered signature: refused at load, back to the store's payment step.
        await _page.GotoAsync(_h.CheckoutPageUrl(token).Replace("provider=sandboxpay", "provider=sandboxwidget", StringComparison.Ordinal));
        await Expect(_page.Locator("#expired-title")).ToHaveTextAsync("This checkout link is not valid");
        await Expect(_page.Locator("#expired-back")).ToHaveAttributeAsync("href", session.PaymentAuthorizationRedirectUrl!);
        await Expect(_page.Locator("#pay")).ToBeHiddenAsync();
        await AssertOrderNumberAsync(session);
        await AssertAccessibleAsync("error-invalid-link", size);

        // A provider the gateway does not offer.
        await _page.GotoAsync($"{page}?provider=nopay&mode=test&sig=x&publicToken={Uri.EscapeDataString(token)}");
        await Expect(_page.Locator("#error-title")).ToHaveTextAsync("Payment method unavailable");
        await Expect(_page.Locator("#error-back")).ToHaveAttributeAsync("href", StoreUrl);
        await AssertAccessibleAsync("error-provider-unavailable", size);

        // The provider's return URL with a reference we never issued: our page, never JSON.
        await _page.GotoAsync($"{_h.Gateway.BaseAddress}api/checkout/return/pay_doesnotexist0000000000000");
        await _page.WaitForURLAsync("**/checkout/?notice=payment_not_found");
        await Expect(_page.Locator("#notice-title")).ToHaveTextAsync("We could not find this payment");
        await Expect(_page.Locator("#notice-back")).ToHaveAttributeAsync("href", StoreUrl);
        await AssertAccessibleAsync("error-unknown-payment", size);

        // The status view of a payment we do not know.
        await _page.GotoAsync($"{page}?paymentRef=pay_doesnotexist0000000000000");
        await Expect(_page.Locator("#status-title")).ToHaveTextAsync("We could not find this payment");
        await Expect(_page.Locator("#status-back")).ToHaveAttributeAsync("href", StoreUrl);
        await AssertAccessibleAsync("error-unknown-status", size);
    }

    [Theory]
    [InlineData("fr", Desktop, "Ce moyen de paiement n’a pas pu démarrer le paiement. Veuillez réessayer ou en choisir un autre.",
        "Votre paiement a été refusé. Vous pouvez réessayer ou choisir un autre moyen de paiement.")]
    [InlineData("ja", Phone, "このお支払い方法でお支払いを開始できませんでした。もう一度お試しいただくか、別の方法をお選びください。",
        "お支払いが承認されませんでした。もう一度お試しいただくか、別のお支払い方法をお選びください。")]
    [InlineData("fr", Phone, "Ce moyen de paiement n’a pas pu démarrer le paiement. Veuillez réessayer ou en choisir un autre.",
        "Votre paiement a été refusé. Vous pouvez réessayer ou choisir un autre moyen de paiement.")]
    [InlineData("ja", Desktop, "このお支払い方法でお支払いを開始できませんでした。もう一度お試しいただくか、別の方法をお選びください。",
        "お支払いが承認されませんでした。もう一度お試しいただくか、別のお支払い方法をお選びください。")]
    public async Task A_french_or_japanese_order_reads_a_server_error_and_a_decline_in_its_language(string language, string size, string serverError, string decline)
    {
        // A server error: the provider cannot create the payment (502 provider_unavailable, whose English title is
        // never shown).
        var (session, token) = _h.NewSession(language: language);
        await OpenAsync(_h.CheckoutPageUrl(token), size);
        _h.State.FailNext(SimulatedEndpoint.SandboxPayCreatePayment, 500, times: 3);
        await _page.Locator("#pay").ClickAsync();
        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync(serverError);
        await Expect(_page.Locator("#order-number")).ToHaveTextAsync((language == "fr" ? "Commande " : "ご注文番号: ") + session.Invoice.InvoiceNumber);
        await AssertAccessibleAsync($"server-error-{language}", size);

        // A decline in a widget provider's form.
        var (widgetSession, widgetToken) = _h.NewSession(language: language);
        await _page.GotoAsync(_h.CheckoutPageUrl(widgetToken, "sandboxwidget"));
        await _page.Locator("#pay").ClickAsync();
        await _page.Locator("#widget button[name=fail]").ClickAsync();
        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync(decline);
        await Expect(_page.Locator("#other-method")).ToHaveAttributeAsync("href", widgetSession.PaymentAuthorizationRedirectUrl!);
        await AssertAccessibleAsync($"declined-{language}", size);
        Assert.Empty(_h.State.PaymentCallsFor(widgetSession.Id));
    }

    [Theory]
    [InlineData(Desktop)]
    [InlineData(Phone)]
    public async Task The_merchants_branding_and_links_are_on_the_page(string size)
    {
        var (_, token) = _h.NewSession();
        await OpenAsync(_h.CheckoutPageUrl(token), size);

        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await Expect(_page.Locator("h1")).ToHaveTextAsync(GatewayHarness.StoreName);
        var total = _h.State.FindSessionByToken(token)!.Invoice.Amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(_page).ToHaveTitleAsync($"Pay {GatewayHarness.StoreName} – ${total}");
        var logo = _page.Locator("#store-logo");
        await Expect(logo).ToHaveAttributeAsync("src", new Uri(_h.Sandbox.BaseAddress, "store-logo.svg").ToString());
        await Expect(logo).ToHaveAttributeAsync("alt", GatewayHarness.StoreName);
        Assert.True(await logo.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the logo did not load under the page's CSP");
        await Expect(_page.Locator("#store-terms")).ToHaveAttributeAsync("href", new Uri(_h.Sandbox.BaseAddress, "store/terms").ToString());
        await Expect(_page.Locator("#store-privacy")).ToHaveAttributeAsync("href", new Uri(_h.Sandbox.BaseAddress, "store/privacy").ToString());
        await Expect(_page.Locator("#store-support")).ToHaveAttributeAsync("href", new Uri(_h.Sandbox.BaseAddress, "store/help").ToString());
        await Expect(_page.Locator("#store-email")).ToHaveAttributeAsync("href", "mailto:" + GatewayHarness.StoreSupportEmail);
        // The merchant's accent colour (#5b2a86) on Pay.
        await Expect(_page.Locator("#pay")).ToHaveCSSAsync("background-color", "rgb(91, 42, 134)");
        // The provider's logo beside its name, from the gateway itself, loaded under the page's CSP.
        var providerIcon = _page.Locator("#provider-icon");
        await Expect(providerIcon).ToHaveAttributeAsync("src", $"{_h.Gateway.BaseAddress}checkout/icons/providers/sandboxpay.svg");
        Assert.True(await providerIcon.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the provider's logo did not load under the page's CSP");
        await AssertAccessibleAsync("branded", size);
    }

    [Fact]
    public async Task Us_and_japanese_addresses_are_written_as_each_country_writes_them()
    {
        var us = CheckoutSessionApiTests.StandardInvoice();
        var usSession = _h.State.CreateSession(SandboxMode.Test, us);
        await OpenAsync(_h.CheckoutPageUrl(_h.State.MintToken(usSession.Id)), Desktop);
        await Expect(_page.Locator("#billing-address span")).ToHaveTextAsync(["John Doe", "123 Street", "Cupertino, CA 12345", "United States"]);

        var jp = us with
        {
            Language = "ja",
            Currency = "jpy",
            Amount = 4500m,
            Items = [new SandboxItem("抹茶セット", 1500m, 3, "Physical", 0, 4500m)],
            BillingAddress = new SandboxAddress { Name = "山田 太郎", StreetAndNumber = "丸の内1-1-1", PostalCode = "100-0005", City = "千代田区", Region = "東京都", Country = "JP" },
        };
        var jpSession = _h.State.CreateSession(SandboxMode.Test, jp);
        await _page.GotoAsync(_h.CheckoutPageUrl(_h.State.MintToken(jpSession.Id)));
        await Expect(_page.Locator("#billing-address span")).ToHaveTextAsync(["山田 太郎", "〒100-0005", "東京都 千代田区", "丸の内1-1-1", "日本"]);
        await AssertAccessibleAsync("japanese-order", Desktop);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task On_a_phone_the_total_and_pay_are_visible_without_scrolling(int lines)
    {
        var items = Enumerable.Range(1, lines).Select(i => new SandboxItem($"Rosy-Fingered Dawn at Louse Point, volume {i}", 19.90m, 1, "Physical", 0, 19.90m)).ToList();
        var invoice = CheckoutSessionApiTests.StandardInvoice() with { Amount = 19.90m * lines, Items = items };
        var session = _h.State.CreateSession(SandboxMode.Test, invoice);
        await OpenAsync(_h.CheckoutPageUrl(_h.State.MintToken(session.Id)), Phone);

        await Expect(_page.Locator("#pay")).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(_page.Locator("#totals dd.total")).ToBeInViewportAsync(new() { Ratio = 1 });
        Assert.Equal(0, await _page.EvaluateAsync<int>("() => window.scrollY"));
    }

    [Theory]
    [InlineData("sandboxwidget", 390, 844)]
    [InlineData("sandboxwidget", 360, 740)]
    [InlineData("jpmsmartpay", 390, 844)]
    [InlineData("jpmsmartpay", 360, 740)]
    public async Task On_a_phone_a_rendered_widget_is_scrolled_into_view(string provider, int width, int height)
    {
        // A cart long enough that the widget opens under the fold of this screen.
        var lines = height > 800 ? 5 : 3;
        var currency = provider == "jpmsmartpay" ? "eur" : "usd";
        var items = Enumerable.Range(1, lines).Select(i => new SandboxItem($"Rosy-Fingered Dawn at Louse Point, volume {i}", 19.90m, 1, "Physical", 0, 19.90m)).ToList();
        var invoice = CheckoutSessionApiTests.StandardInvoice(currency) with { Amount = 19.90m * lines, Items = items };
        var session = _h.State.CreateSession(SandboxMode.Test, invoice);
        await _page.SetViewportSizeAsync(width, height);
        await _page.GotoAsync(_h.CheckoutPageUrl(_h.State.MintToken(session.Id), provider));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();

        // Pay pressed without moving the page (Playwright's own click would scroll to the button first).
        await _page.Locator("#pay").EvaluateAsync("button => button.click()");

        // The widget's own Pay, once it is filled in, is on the screen whole.
        var widgetPay = _page.Locator(provider == "jpmsmartpay" ? "#widget [data-smp-outcome=pay]" : "#widget button[name=pay]");
        await Expect(widgetPay).ToBeEnabledAsync();
        await Expect(widgetPay).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(_page.Locator("#widget")).ToBeInViewportAsync();
        // ...because the page scrolled to it: from the top of the page it would be under the fold.
        await _page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await Expect(widgetPay).Not.ToBeInViewportAsync(new() { Ratio = 1 });
        if (width == Sizes[Phone].Width)
        {
            // The page with a provider's form in it is a state of its own: axe, and its picture.
            await widgetPay.ScrollIntoViewIfNeededAsync();
            await AssertAccessibleAsync("widget-" + provider, Phone);
        }
    }

    [Fact]
    public async Task No_gateway_or_sandbox_page_scrolls_sideways_at_360_px()
    {
        var (session, token) = _h.NewSession(itemName: "A-very-long-product-code-without-any-space-SKU-0000000000000000000000000000");
        var gateway = $"{_h.Gateway.BaseAddress}checkout/";
        var pages = new List<(string What, Func<Task> Open)>
        {
            ("the checkout page", () => OpenReadyAsync(_h.CheckoutPageUrl(token))),
            ("the incomplete-link screen", () => _page.GotoAsync($"{gateway}?provider=sandboxpay&mode=test")),
            ("the unknown-payment screen", () => _page.GotoAsync($"{gateway}?notice=payment_not_found")),
            ("the status screen", () => _page.GotoAsync($"{gateway}?paymentRef=pay_doesnotexist0000000000000")),
            ("the sandbox's demo store", () => _page.GotoAsync(StoreUrl)),
            ("the support page", () => _page.GotoAsync($"{_h.Gateway.BaseAddress}support/")),
        };
        foreach (var (what, open) in pages)
        {
            await _page.SetViewportSizeAsync(360, 740);
            await open();
            await _page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await AssertNoSidewaysScrollAt360Async(what);
        }

        // Sandbox Pay's hosted page, then the order page after paying.
        await OpenReadyAsync(_h.CheckoutPageUrl(token));
        await _page.Locator("#pay").ClickAsync();
        await _page.WaitForURLAsync("**/sandboxpay/pay/**");
        await AssertNoSidewaysScrollAt360Async("Sandbox Pay's page");
        await _page.Locator("button[value=pay]").ClickAsync();
        await _page.WaitForURLAsync(OrderPage(session));
        await AssertNoSidewaysScrollAt360Async("the sandbox's order page");
        await _page.GotoAsync(_h.CheckoutPageUrl(token));
        await Expect(_page.Locator("#view-paid")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAt360Async("the paid screen");

        // A payment in flight, then each widget provider's form rendered in the page.
        var (_, inFlightToken) = _h.NewSession(itemName: "A-very-long-product-code-without-any-space-SKU-0000000000000000000000000000");
        await OpenReadyAsync(_h.CheckoutPageUrl(inFlightToken));
        await _page.Locator("#pay").ClickAsync();
        await _page.WaitForURLAsync("**/sandboxpay/pay/**");
        await _page.GotoAsync(_h.CheckoutPageUrl(inFlightToken));
        await Expect(_page.Locator("#view-progress")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAt360Async("the in-progress screen");
        foreach (var (provider, currency, payButton) in new[] { ("sandboxwidget", "usd", "#widget button[name=pay]"), ("jpmsmartpay", "eur", "#widget [data-smp-outcome=pay]") })
        {
            var (_, widgetToken) = _h.NewSession(currency: currency, itemName: "A-very-long-product-code-without-any-space-SKU-0000000000000000000000000000");
            await OpenReadyAsync(_h.CheckoutPageUrl(widgetToken, provider));
            await _page.Locator("#pay").ClickAsync();
            await Expect(_page.Locator(payButton)).ToBeEnabledAsync();
            await AssertNoSidewaysScrollAt360Async($"the checkout page with {provider}'s form");
        }

        // Snapplify's and Smartpay's hosted pages.
        var (_, zarToken) = _h.NewSession(unitPrice: 449.50m, currency: "zar", billingCountry: "ZA");
        await OpenReadyAsync(_h.CheckoutPageUrl(zarToken, "snapplify"));
        await _page.Locator("#pay").ClickAsync();
        await _page.WaitForURLAsync(url => !url.Contains("/checkout/", StringComparison.Ordinal));
        await AssertNoSidewaysScrollAt360Async("Snapplify's page");
        // Smartpay wants a cart as the demo store makes it (JPY, its address lines).
        await _page.GotoAsync(StoreUrl);
        await _page.SelectOptionAsync("#currency", "jpy");
        await _page.SelectOptionAsync("select[name=country]", "JP"); // Smartpay is offered for Japanese billing addresses
        await _page.Locator("#products button").First.ClickAsync();
        await _page.ClickAsync("#checkout-button");
        await _page.Locator("#methods").GetByRole(AriaRole.Button, new() { Name = "Smartpay" }).ClickAsync();
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await _page.Locator("#pay").ClickAsync();
        await _page.WaitForURLAsync("**/smartpay/checkout/**");
        await AssertNoSidewaysScrollAt360Async("Smartpay's page");
    }

    private async Task OpenReadyAsync(string url)
    {
        await _page.GotoAsync(url);
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
    }
}
