using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.CheckoutPage;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// The checkout page in real headless Chromium, served by the CheckoutPage function under the Functions host,
/// with sessions from the Snipcart simulator and Sandbox Pay as the provider. An answer no shipped provider can
/// give (a problem whose text carries markup) is played by page.Route; everything else is real. Widget payments are
/// in <see cref="WidgetCheckoutBrowserTests"/>.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class CheckoutPageBrowserTests(GatewayStackFixture stack, BrowserFixture browser)
    : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    // Records CSP violations from the first script on: a violation event fires even when nothing is logged.
    private const string CspRecorder = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', function (e) {
          window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
        });
        """;

    private const string ProviderName = "Sandbox Pay (test only)";

    private readonly GatewayHarness _h = stack.Harness;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly ConcurrentQueue<string> _dialogs = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly ConcurrentQueue<string> _pageErrors = new();

    public async Task InitializeAsync()
    {
        _context = await browser.NewContextAsync();
        await _context.AddInitScriptAsync(CspRecorder);
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(15_000);
        _page.Dialog += (_, dialog) =>
        {
            _dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
        _page.Console += (_, message) =>
        {
            if (message.Type == "error") { _consoleErrors.Enqueue(message.Text); }
        };
        _page.PageError += (_, error) => _pageErrors.Enqueue(error);
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    private (SandboxSession Session, string Token) NewSession(SandboxInvoice? invoice = null)
    {
        var session = _h.State.CreateSession(SandboxMode.Test, invoice ?? CheckoutSessionApiTests.StandardInvoice());
        return (session, _h.State.MintToken(session.Id));
    }

    private static SandboxInvoice Invoice(string language, string currency, decimal amount, params SandboxItem[] items) =>
        CheckoutSessionApiTests.StandardInvoice() with { Language = language, Currency = currency, Amount = amount, Items = items };

    private static SandboxItem Item(string name, decimal unitPrice, int quantity = 1, string type = "Physical") =>
        new(name, unitPrice, quantity, type, 0, unitPrice * quantity);

    private async Task<IResponse?> OpenReadyPage(string token)
    {
        var response = await _page.GotoAsync(_h.CheckoutPageUrl(token));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        return response;
    }

    private string StatusPageUrl(string paymentRef, string? token = null) =>
        token is null
            ? $"{_h.Gateway.BaseAddress}checkout/?paymentRef={paymentRef}"
            : $"{_h.CheckoutPageUrl(token)}&paymentRef={paymentRef}";

    private async Task AssertNoCspViolationsOrScriptErrors()
    {
        var violations = await _page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.Empty(violations);
        Assert.DoesNotContain(_consoleErrors, e => e.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(_pageErrors);
    }

    // Intl separates French thousands with U+202F and puts U+00A0 before the symbol.
    private static string Spaces(string text) => text.Replace('\u202f', ' ').Replace('\u00a0', ' ').Trim();

    [Fact]
    public async Task Renders_provider_items_totals_addresses_and_email()
    {
        var (session, token) = NewSession();

        await OpenReadyPage(token);

        await Expect(_page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Expect(_page.Locator("#mode-badge")).ToHaveTextAsync("Test mode");
        await Expect(_page.Locator("#pay-with")).ToHaveTextAsync($"Pay with {ProviderName}");

        // Only goods are lines; discounts, taxes and shipping appear in the totals.
        var rows = _page.Locator("#items-body tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync(["Rosy-Fingered Dawn at Louse Point", "2", "$49.95", "$99.90"]);
        await Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync(["Field Notes (e-book)", "1", "$12.00", "$12.00"]);

        await Expect(_page.Locator("#totals dt")).ToContainTextAsync(["Subtotal", "Discounts", "Taxes", "Shipping", "Total"]);
        await Expect(_page.Locator("#totals dt")).ToContainTextAsync(["", "SUMMER10", "Sales tax", "Express shipping", ""]);
        await Expect(_page.Locator("#totals dd")).ToHaveTextAsync(["$111.90", "-$10.00", "$8.12", "$15.00", "$125.02"]);

        await Expect(_page.Locator("#billing-address span")).ToHaveTextAsync(["John Doe", "123 Street", "Cupertino, CA 12345", "United States"]);
        await Expect(_page.Locator("#shipping-address span")).ToHaveTextAsync(["Jane Doe", "9 Harbour Road", "Beverly Hills, CA 90210", "United States"]);
        await Expect(_page.Locator("#email")).ToHaveTextAsync("john.doe@example.com");

        await Expect(_page.Locator("#pay")).ToHaveTextAsync("Pay $125.02");
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();
        await Expect(_page.Locator("#back-link")).ToHaveAttributeAsync("href", session.PaymentAuthorizationRedirectUrl);
        await AssertNoCspViolationsOrScriptErrors();
    }

    [Fact]
    public async Task Markup_in_an_item_name_is_shown_as_literal_text()
    {
        const string name = "<img src=x onerror=alert(1)>";
        var invoice = CheckoutSessionApiTests.StandardInvoice();
        var (_, token) = NewSession(invoice with { Items = [Item(name, 49.95m, 2), .. invoice.Items.Skip(1)] });

        await OpenReadyPage(token);

        await Expect(_page.Locator("#items-body").GetByText(name, new() { Exact = true })).ToBeVisibleAsync();
        await Expect(_page.Locator("#items img")).ToHaveCountAsync(0);
        Assert.Equal(0, await _page.EvaluateAsync<int>("() => document.querySelectorAll('img[src=\"x\"]').length"));
        // An onerror handler would fire as soon as the broken image failed: give it the chance to.
        await _page.WaitForTimeoutAsync(500);
        Assert.Empty(_dialogs);
        await AssertNoCspViolationsOrScriptErrors();
    }

    [Fact]
    public async Task Yen_amounts_have_no_decimals()
    {
        var (_, token) = NewSession(Invoice("en", "jpy", 4500m, Item("Matcha set", 1500m, 3)));

        await OpenReadyPage(token);

        await Expect(_page.Locator("#items-body tr td")).ToHaveTextAsync(["Matcha set", "3", "¥1,500", "¥4,500"]);
        await Expect(_page.Locator("#totals dd.total")).ToHaveTextAsync("¥4,500");
        await Expect(_page.Locator("#pay")).ToHaveTextAsync("Pay ¥4,500");
    }

    [Fact]
    public async Task French_invoice_has_french_labels_and_number_format()
    {
        var (_, token) = NewSession(Invoice("fr", "eur", 1239.50m, Item("Carnet de voyage", 1234.50m), Item("Colissimo", 5m, type: "Shipping")));

        await OpenReadyPage(token);

        await Expect(_page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Expect(_page.Locator("#view-ready h2")).ToHaveTextAsync("Récapitulatif de la commande");
        await Expect(_page.Locator("#items thead th")).ToHaveTextAsync(["Article", "Qté", "Prix unitaire", "Montant"]);
        await Expect(_page.Locator("#totals dt")).ToContainTextAsync(["Sous-total", "Livraison", "Total"]);
        await Expect(_page.Locator("#billing h3")).ToHaveTextAsync("Adresse de facturation");
        await Expect(_page.Locator("#pay-with")).ToHaveTextAsync($"Payer avec {ProviderName}");
        await Expect(_page.Locator("#billing-address span").Last).ToHaveTextAsync("États-Unis");

        Assert.Equal("1 234,50 €", Spaces(await _page.Locator("#items-body td").Nth(3).InnerTextAsync()));
        Assert.Equal("5,00 €", Spaces(await _page.Locator("#totals dd").Nth(1).InnerTextAsync()));
        Assert.Equal("1 239,50 €", Spaces(await _page.Locator("#totals dd.total").InnerTextAsync()));
        Assert.Equal("Payer 1 239,50 €", Spaces(await _page.Locator("#pay").InnerTextAsync()));
    }

    [Fact]
    public async Task Expired_token_shows_the_expired_message()
    {
        var (_, token) = NewSession();
        Assert.True(_h.State.ExpireToken(token));

        await _page.GotoAsync(_h.CheckoutPageUrl(token));

        await Expect(_page.Locator("#view-expired")).ToBeVisibleAsync();
        await Expect(_page.Locator("#view-expired h2")).ToHaveTextAsync("This checkout link has expired");
        await Expect(_page.Locator("#expired-message")).ToContainTextAsync("expired or is not valid");
        // Without a session Snipcart's payment step is unknown: the way on is the merchant's store (Gateway__StoreUrl).
        await Expect(_page.Locator("#expired-back")).ToHaveAttributeAsync("href", _h.Sandbox.BaseAddress.ToString());
        await Expect(_page.Locator("#view-ready")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Token_appended_after_a_second_question_mark_is_read()
    {
        var (_, token) = NewSession();

        // As Snipcart builds it: our checkoutUrl (which has a query) + "?publicToken=...".
        await _page.GotoAsync($"{_h.Gateway.BaseAddress}checkout/?provider=sandboxpay&mode=test&sig={_h.Sig(token: token)}?publicToken={token}");

        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await Expect(_page.Locator("#pay")).ToHaveTextAsync("Pay $125.02");
    }

    [Fact]
    public async Task Pay_posts_once_when_double_clicked_and_goes_to_sandbox_pay()
    {
        var (session, token) = NewSession();
        var posts = new ConcurrentQueue<string>();
        await _page.RouteAsync("**/api/checkout/payments", async route =>
        {
            posts.Enqueue(route.Request.Method + " " + route.Request.PostData);
            await Task.Delay(400); // a slow gateway: the second click lands while the first is in flight
            await route.ContinueAsync();
        });
        await OpenReadyPage(token);

        await _page.Locator("#pay").DblClickAsync();

        await _page.WaitForURLAsync(_h.Sandbox.BaseAddress + "sandboxpay/pay/**");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Pay 125.02 USD");
        var post = Assert.Single(posts);
        Assert.StartsWith("POST ", post);
        var body = JsonDocument.Parse(post["POST ".Length..]).RootElement;
        Assert.Equal(token, body.GetProperty("publicToken").GetString());
        Assert.Equal("sandboxpay", body.GetProperty("provider").GetString());
        Assert.Equal("test", body.GetProperty("mode").GetString());
        Assert.Equal(_h.Sig(token: token), body.GetProperty("sig").GetString());
        // One payment at the provider, for this session's amount.
        var paymentId = _page.Url[(_page.Url.LastIndexOf('/') + 1)..];
        Assert.Equal(125.02m, _h.State.GetSandboxPayPayment(paymentId)!.Amount);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task Payment_problem_is_shown_and_pay_can_be_retried()
    {
        var (_, token) = NewSession();
        await OpenReadyPage(token);
        // Sandbox Pay refuses the first create: the gateway answers a 502 problem.
        _h.State.FailNext(SimulatedEndpoint.SandboxPayCreatePayment, 500, times: 3);   // the client retries keyed creates twice

        await _page.Locator("#pay").ClickAsync();

        // Worded from the problem's code (provider_unavailable), in the page's language.
        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync("This payment method could not start the payment. Please try again or choose another one.");
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();
        await Expect(_page.Locator("#pay")).ToHaveTextAsync("Pay $125.02");

        await _page.Locator("#pay").ClickAsync();

        await _page.WaitForURLAsync(_h.Sandbox.BaseAddress + "sandboxpay/pay/**");
    }

    [Fact]
    public async Task A_problems_own_text_is_never_shown_only_the_pages_words_for_its_code()
    {
        // The server's title and detail are English (and could carry anything): the page words the code itself, and an
        // unknown or malformed code gets the general message, never the answer's text, never as HTML.
        var (_, token) = NewSession();
        await _page.RouteAsync("**/api/checkout/payments", route => route.FulfillAsync(new()
        {
            Status = 422,
            ContentType = "application/problem+json",
            Body = """{"status":422,"code":"<b>odd</b>","title":"Payment in progress","detail":"<b>Wait</b> a moment."}""",
        }));
        await OpenReadyPage(token);

        await _page.Locator("#pay").ClickAsync();

        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync("The payment could not be started. Please try again.");
        await Expect(_page.Locator("#pay-error b")).ToHaveCountAsync(0);
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();
    }

    [Fact]
    public async Task Csp_header_is_sent_and_the_page_runs_without_violations()
    {
        var (_, token) = NewSession();

        var response = await OpenReadyPage(token);

        Assert.NotNull(response);
        var headers = await response.AllHeadersAsync();
        // Sandbox Pay's page offers no widget: the strict policy, although the shared stack enables widget providers.
        Assert.StartsWith("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' ", headers["content-security-policy"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);
        await AssertNoCspViolationsOrScriptErrors();

        // Control: the recorder does see a violation, so the empty list above means something. An inline script (never
        // admitted, widget or not).
        await _page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.appendChild(s); }");
        await _page.WaitForFunctionAsync("() => window.__cspViolations.length > 0");
    }

    /// <summary>What a widget SDK does that only a widget provider's page admits: a style element, a style attribute
    /// and a 3-D Secure challenge frame from an issuer's https origin (one that answers nothing: only the CSP's word
    /// on it matters). Returns the violations and whether each style took effect.</summary>
    private async Task<(string[] Violations, bool StyleElementApplied, bool StyleAttributeApplied)> TryWidgetLikeThingsAsync()
    {
        // Resolves once the frame has its verdict: refused by the CSP, or loaded (an error page: nothing listens there).
        await _page.EvaluateAsync("""
            () => new Promise(resolve => {
              const probe = document.createElement('div'); probe.id = 'sdk-probe'; document.body.appendChild(probe);
              const style = document.createElement('style'); style.textContent = '#sdk-probe { margin-top: 7px; }'; document.head.appendChild(style);
              probe.setAttribute('style', 'padding-top: 5px');
              document.addEventListener('securitypolicyviolation', e => { if (e.effectiveDirective === 'frame-src') { resolve(); } });
              const challenge = document.createElement('iframe');
              challenge.addEventListener('load', () => resolve());
              challenge.src = 'https://127.0.0.1:9/3ds/challenge';
              document.body.appendChild(challenge);
            })
            """);
        var applied = await _page.EvaluateAsync<bool[]>("() => { const s = getComputedStyle(document.getElementById('sdk-probe')); return [s.marginTop === '7px', s.paddingTop === '5px']; }");
        return (await _page.EvaluateAsync<string[]>("() => window.__cspViolations"), applied[0], applied[1]);
    }

    [Fact]
    public async Task A_page_without_a_widget_provider_refuses_inline_styles_and_https_frames()
    {
        var (_, token) = NewSession();
        var response = await OpenReadyPage(token);
        var csp = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.DoesNotContain("'unsafe-inline'", csp);
        Assert.DoesNotContain("frame-src", csp);
        Assert.DoesNotContain(_h.Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority), csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));

        var (violations, styleElement, styleAttribute) = await TryWidgetLikeThingsAsync();

        Assert.False(styleElement);
        Assert.False(styleAttribute);
        Assert.Contains(violations, v => v.StartsWith("style-src", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("frame-src https://127.0.0.1:9", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_widget_providers_page_admits_inline_styles_and_3ds_frames_but_never_inline_scripts()
    {
        var (_, token) = NewSession();
        var response = await _page.GotoAsync(_h.CheckoutPageUrl(token, provider: "sandboxwidget"));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        var widgetOrigin = _h.Sandbox.BaseAddress.GetLeftPart(UriPartial.Authority);
        var csp = (await response!.AllHeadersAsync())["content-security-policy"];
        Assert.StartsWith($"default-src 'none'; script-src 'self' {widgetOrigin}; style-src 'self' 'unsafe-inline' {widgetOrigin};", csp);
        Assert.Contains($"frame-src {widgetOrigin} https:;", csp);

        var (violations, styleElement, styleAttribute) = await TryWidgetLikeThingsAsync();

        Assert.True(styleElement);
        Assert.True(styleAttribute);
        Assert.Empty(violations);
        await _page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.appendChild(s); }");
        await _page.WaitForFunctionAsync("() => window.__cspViolations.some(v => v.startsWith('script-src'))");
        Assert.Null(await _page.EvaluateAsync<int?>("() => window.__inline"));
    }

    [Fact]
    public async Task Status_view_polls_until_the_return_url_and_follows_it()
    {
        var (session, token) = NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, "succeeded");
        // Snipcart is down for the first poll: the gateway cannot confirm yet, so the page keeps asking.
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 503);
        var polls = 0;
        _page.Request += (_, request) =>
        {
            if (request.Url.Contains($"/api/checkout/payments/{paymentRef}", StringComparison.Ordinal)) { Interlocked.Increment(ref polls); }
        };

        await _page.GotoAsync(StatusPageUrl(paymentRef));

        await Expect(_page.Locator("#status-title")).ToHaveTextAsync("Confirming your payment…");
        await _page.WaitForURLAsync($"{_h.Sandbox.BaseAddress}store/orders/{session.Id}");
        Assert.Equal(2, Volatile.Read(ref polls));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task Status_view_shows_a_failed_payment_and_offers_to_pay_again()
    {
        var (_, token) = NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token);
        _h.SetProviderStatus(paymentRef, "declined");
        // Snipcart cannot be told right now, so there is no store page to send the shopper to.
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 503);

        await _page.GotoAsync(StatusPageUrl(paymentRef, token));

        await Expect(_page.Locator("#status-message")).ToHaveTextAsync("Your payment did not go through. You have not been charged.");
        await Expect(_page.Locator("#status-spinner")).ToBeHiddenAsync();
        var again = new Uri(await _page.Locator("#status-pay-again").GetAttributeAsync("href") ?? "");
        Assert.Equal($"?provider=sandboxpay&mode=test&sig={Uri.EscapeDataString(_h.Sig(token: token))}&publicToken={Uri.EscapeDataString(token)}", again.Query);

        // The link leads back to a working summary of the same order.
        await _page.Locator("#status-pay-again").ClickAsync();
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        await Expect(_page.Locator("#pay")).ToHaveTextAsync("Pay $125.02");
    }
}
