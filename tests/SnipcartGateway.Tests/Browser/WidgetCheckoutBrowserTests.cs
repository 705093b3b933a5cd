using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace SnipcartGateway.Tests.Browser;

/// <summary>
/// Widget providers on the checkout page, in headless Chromium, with Sandbox Widget: the page loads its renderer
/// (widgets/sandboxwidget.js) and the simulator's script from the sandbox's origin (admitted by the page's CSP), the
/// widget renders Pay / Fail / Time out inside the page, and its callbacks only make the page ask the gateway,
/// which asks the simulator. Everything is real except the two answers no provider gives (an unknown kind, a script
/// from an undeclared origin), which are played.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class WidgetCheckoutBrowserTests(GatewayStackFixture stack, BrowserFixture browser)
    : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Provider = "sandboxwidget";
    private const string CspRecorder = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', function (e) {
          window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
        });
        """;

    private readonly GatewayHarness _h = stack.Harness;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly ConcurrentQueue<string> _pageErrors = new();
    private readonly ConcurrentQueue<string> _dialogs = new();

    public async Task InitializeAsync()
    {
        _context = await browser.NewContextAsync();
        await _context.AddInitScriptAsync(CspRecorder);
        _page = await _context.NewPageAsync();
        _page.SetDefaultTimeout(15_000);
        _page.PageError += (_, error) => _pageErrors.Enqueue(error);
        _page.Dialog += (_, dialog) =>
        {
            _dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
    }

    public async Task DisposeAsync() => await _context.CloseAsync();

    private ILocator Widget => _page.Locator("#widget [data-sandbox-widget]");

    private ILocator WidgetButton(string name) => _page.Locator($"#widget button[name={name}]");

    /// <summary>Our page for a new session, with Sandbox Widget as the method the shopper picked.</summary>
    private async Task<(SandboxSession Session, string Token)> OpenPageAsync()
    {
        var (session, token) = _h.NewSession();
        await _page.GotoAsync(_h.CheckoutPageUrl(token, Provider));
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        return (session, token);
    }

    /// <summary>Clicks the page's Pay (or lets <paramref name="action"/> trigger the POST) and waits for the widget;
    /// returns the attempt's paymentRef and the simulator's payment.</summary>
    private async Task<(string PaymentRef, SandboxPayPayment Payment)> StartWidgetAsync(Func<Task>? action = null)
    {
        var response = await _page.RunAndWaitForResponseAsync(
            action ?? (() => _page.Locator("#pay").ClickAsync()),
            r => r.Request.Method == "POST" && r.Url.EndsWith("/api/checkout/payments", StringComparison.Ordinal));
        Assert.Equal(200, response.Status);
        var body = JsonDocument.Parse(await response.TextAsync()).RootElement;
        var paymentRef = body.GetProperty("paymentRef").GetString()!;
        await Expect(WidgetButton("pay")).ToBeEnabledAsync();
        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        Assert.Equal(SandboxPayFlows.Widget, payment.Flow);
        return (paymentRef, payment);
    }

    private async Task AssertNoCspViolationsOrScriptErrors()
    {
        Assert.Empty(await _page.EvaluateAsync<string[]>("() => window.__cspViolations"));
        Assert.Empty(_pageErrors);
    }

    [Fact]
    public async Task A_shopper_pays_through_sandbox_widget_from_the_demo_store_and_lands_on_the_order_page_as_processed()
    {
        var earlier = _h.State.Sessions.Select(s => s.Id).ToHashSet();
        await _page.GotoAsync(_h.Sandbox.BaseAddress.ToString());
        await _page.Locator("#products button").First.ClickAsync();
        await _page.ClickAsync("#checkout-button");
        // The gateway offers Sandbox Widget beside Sandbox Pay: the store lists what the webhook answered.
        var method = _page.Locator("#methods").GetByRole(AriaRole.Button, new() { Name = "Sandbox Widget" });
        await Expect(method).ToHaveCountAsync(1);
        await method.ClickAsync();
        await Expect(_page.Locator("#view-ready")).ToBeVisibleAsync();
        var session = Assert.Single(_h.State.Sessions, s => !earlier.Contains(s.Id));
        await Expect(_page.Locator("#pay-with")).ToHaveTextAsync("Pay with Sandbox Widget (test only)");

        var (_, payment) = await StartWidgetAsync();

        // The widget is in our page, for the session's amount; no redirect happened.
        Assert.StartsWith(_h.Gateway.BaseAddress.ToString(), _page.Url);
        Assert.Equal("usd", session.Invoice.Currency);
        await Expect(Widget).ToContainTextAsync($"Pay {session.Invoice.Amount.ToString("0.00", CultureInfo.InvariantCulture)} USD");
        await Expect(_page.Locator("#pay")).ToBeHiddenAsync();
        await WidgetButton("pay").ClickAsync();

        await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(payment.Id, Assert.Single(_h.State.PaymentCallsFor(session.Id), c => c.State == "processed").TransactionId);
        Assert.Empty(_dialogs);
    }

    [Fact]
    public async Task A_widget_failure_shows_the_message_and_lets_the_shopper_pick_another_method_or_retry()
    {
        var (session, _) = await OpenPageAsync();
        var (firstRef, first) = await StartWidgetAsync();

        await WidgetButton("fail").ClickAsync();

        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync(
            "Your payment was declined. You can try again or choose another payment method.");
        await Expect(_page.Locator("#widget")).ToBeHiddenAsync();
        await Expect(_page.Locator("#other-method")).ToHaveAttributeAsync("href", session.PaymentAuthorizationRedirectUrl);
        await Expect(_page.Locator("#other-method")).ToHaveTextAsync("Choose another payment method");
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();
        Assert.Equal(SandboxPayStatuses.Declined, _h.State.GetSandboxPayPayment(first.Id)!.Status);
        // A failure is nobody's to tell Snipcart from the browser.
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        await AssertNoCspViolationsOrScriptErrors();

        // Retry: a new attempt with a new widget.
        var (secondRef, second) = await StartWidgetAsync();
        Assert.NotEqual(firstRef, secondRef);
        Assert.NotEqual(first.CheckoutToken, second.CheckoutToken);
        await Expect(_page.Locator("#pay-error")).ToBeHiddenAsync();

        // Or another method: back to the store's payment step.
        await WidgetButton("fail").ClickAsync();
        await _page.Locator("#other-method").ClickAsync();
        await _page.WaitForURLAsync(session.PaymentAuthorizationRedirectUrl);
    }

    [Fact]
    public async Task A_french_shopper_reads_the_failure_in_french()
    {
        var (session, token) = _h.NewSession(language: "fr");
        await _page.GotoAsync(_h.CheckoutPageUrl(token, Provider));
        await StartWidgetAsync();

        await WidgetButton("fail").ClickAsync();

        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync(
            "Votre paiement a été refusé. Vous pouvez réessayer ou choisir un autre moyen de paiement.");
        await Expect(_page.Locator("#other-method")).ToHaveTextAsync("Choisir un autre moyen de paiement");
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task A_timeout_starts_a_fresh_attempt_that_can_be_paid()
    {
        var (session, _) = await OpenPageAsync();
        var (firstRef, first) = await StartWidgetAsync();

        // Time out: the page posts again by itself and renders the new checkout.
        var (secondRef, second) = await StartWidgetAsync(() => WidgetButton("timeout").ClickAsync());

        Assert.NotEqual(firstRef, secondRef);
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(SandboxPayStatuses.Canceled, _h.State.GetSandboxPayPayment(first.Id)!.Status);
        await Expect(_page.Locator("#widget-note")).ToBeHiddenAsync();
        await Expect(_page.Locator("#widget [data-sandbox-widget]")).ToHaveCountAsync(1);

        await WidgetButton("pay").ClickAsync();

        await _page.WaitForURLAsync($"**/store/orders/{session.Id}");
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(second.Id, Assert.Single(_h.State.PaymentCallsFor(session.Id)).TransactionId);
        await Expect(_page.Locator("body")).ToContainTextAsync("processed");
    }

    [Fact]
    public async Task A_success_callback_for_an_unpaid_payment_confirms_nothing()
    {
        var (session, _) = await OpenPageAsync();
        var (paymentRef, payment) = await StartWidgetAsync();
        // Two answered polls: the gateway has asked the simulator at least twice.
        var polls = 0;
        var twoPolls = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _page.Response += (_, response) =>
        {
            if (response.Request.Method == "GET" && response.Url.Contains($"/api/checkout/payments/{paymentRef}", StringComparison.Ordinal)
                && Interlocked.Increment(ref polls) >= 2)
            {
                twoPolls.TrySetResult();
            }
        };

        // The widget calls successHandler without anything happening at the simulator.
        await WidgetButton("success-without-paying").ClickAsync();

        // The page asks the gateway, which asks the simulator: still unpaid, so it keeps waiting.
        await Expect(_page.Locator("#view-status")).ToBeVisibleAsync();
        await Expect(_page.Locator("#status-title")).ToHaveTextAsync("Confirming your payment…");
        Assert.Contains($"paymentRef={paymentRef}", _page.Url);
        await twoPolls.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Expect(_page.Locator("#status-title")).ToHaveTextAsync("Confirming your payment…");
        Assert.StartsWith(_h.Gateway.BaseAddress.ToString(), _page.Url);
        Assert.Equal(SandboxPayStatuses.RequiresAction, _h.State.GetSandboxPayPayment(payment.Id)!.Status);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task A_widget_kind_the_page_has_no_renderer_for_is_not_rendered()
    {
        await _page.RouteAsync("**/api/checkout/payments", route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "application/json",
            Body = $$$"""{"paymentRef":"pay_9","widget":{"kind":"nosuchwidget","scriptUrl":"{{{_h.Sandbox.BaseAddress}}}sandboxpay/widget.js","checkoutToken":"abc"}}""",
        }));
        await OpenPageAsync();

        await _page.Locator("#pay").ClickAsync();

        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync("The payment form could not be loaded. Please try again.");
        await Expect(_page.Locator("#pay")).ToBeEnabledAsync();
        await Expect(_page.Locator("#widget")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_widget_script_from_an_origin_no_provider_declared_is_blocked_by_the_csp()
    {
        // 127.0.0.2 is loopback too, but not the sandbox's origin: the page's CSP does not admit it.
        var foreign = $"http://127.0.0.2:{_h.Sandbox.BaseAddress.Port}/sandboxpay/widget.js";
        await _page.RouteAsync("**/api/checkout/payments", route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "application/json",
            Body = $$$"""{"paymentRef":"pay_9","widget":{"kind":"sandboxwidget","scriptUrl":"{{{foreign}}}","checkoutToken":"abc"}}""",
        }));
        await OpenPageAsync();

        await _page.Locator("#pay").ClickAsync();

        await Expect(_page.Locator("#pay-error")).ToHaveTextAsync("The payment form could not be loaded. Please try again.");
        var violations = await _page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.Contains(violations, v => v.StartsWith("script-src", StringComparison.Ordinal) && v.Contains("127.0.0.2", StringComparison.Ordinal));
        await Expect(_page.Locator("#widget [data-sandbox-widget]")).ToHaveCountAsync(0);
    }
}
