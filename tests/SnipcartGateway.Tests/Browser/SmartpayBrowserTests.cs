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

    [Fact]
    public async Task A_payment_that_was_not_kept_reads_as_being_given_back_until_the_refund_is_done_then_as_given_back()
    {
        // What Smartpay took differs from Snipcart's session (a promotion code at Smartpay): never confirmed, given back.
        async Task<(string SessionId, string PaymentRef)> PaidTooLittleAsync()
        {
            var (session, token) = _h.NewSession(unitPrice: 1500m, currency: "jpy", language: "en", billingCountry: "JP");
            var (paymentRef, _) = await _h.StartPaymentAsync(token, provider: "smartpay");
            var order = Smartpay.FindOrderByReference(paymentRef)!;
            Smartpay.SetOrderAmount(order.Id, order.Amount - 100);
            Smartpay.Approve(order.Id);
            await Smartpay.WaitUntilAsync(s => s.Refunds.Any(r => r.PaymentId == s.GetOrder(order.Id)!.PaymentIds.FirstOrDefault()));
            return (session.Id, paymentRef);
        }
        // The page reads the status once it is final, so it is opened only when the gateway has recorded the refund's answer.
        async Task GivenBackAsync(string paymentRef, bool done)
        {
            using var client = _h.Gateway.CreateHttpClient();
            for (var tries = 0; ; tries++)
            {
                // A transient non-200 (the host busy) is asked again like a payment not given back yet.
                using var response = await client.GetAsync($"api/checkout/payments/{paymentRef}");
                var status = response.IsSuccessStatusCode
                    ? System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement
                    : default;
                if (status.ValueKind == System.Text.Json.JsonValueKind.Object
                    && status.TryGetProperty("givenBack", out var givenBack) && givenBack.ValueKind == System.Text.Json.JsonValueKind.Object
                    && givenBack.GetProperty("done").GetBoolean() == done)
                {
                    return;
                }
                Assert.True(tries < 100, $"{paymentRef} is not given back (done: {done}): {(int)response.StatusCode} {status}");
                await Task.Delay(100);
            }
        }
        string StatusPage(string paymentRef) => $"{_h.Gateway.BaseAddress}checkout/?paymentRef={paymentRef}";

        // The refund is still pending at Smartpay: the money is on its way back.
        Smartpay.RefundsSettleLater = true;
        string pending;
        try
        {
            (_, pending) = await PaidTooLittleAsync();
        }
        finally
        {
            Smartpay.RefundsSettleLater = false;
        }
        await GivenBackAsync(pending, done: false);
        await _page.GotoAsync(StatusPage(pending));
        await Expect(_page.Locator("#status-title")).ToHaveTextAsync("This payment was not kept");
        await Expect(_page.Locator("#status-message")).ToHaveTextAsync("Your order did not keep this payment. The money is being given back to you.");
        // Smartpay settles it, so the shared stack holds no refund left pending for the tests after this one.
        foreach (var refund in Smartpay.Refunds.Where(r => r.Status == "pending").ToList())
        {
            Smartpay.SettleRefund(refund.Id, succeeded: true);
        }

        // Refunded at once: the page says it has been given back.
        var (sessionId, refunded) = await PaidTooLittleAsync();
        await GivenBackAsync(refunded, done: true);
        await _page.GotoAsync(StatusPage(refunded));
        await Expect(_page.Locator("#status-title")).ToHaveTextAsync("This payment was not kept");
        await Expect(_page.Locator("#status-message")).ToHaveTextAsync("Your order did not keep this payment. The money has been given back to you; your bank may take a few days to show it.");
        // Snipcart has been told the payment failed: the way on is Snipcart's page for it, where the shopper can pay again.
        await Expect(_page.Locator("#status-back")).ToHaveAttributeAsync("href", new Uri(_h.Sandbox.BaseAddress, $"store/orders/{sessionId}").ToString());
        await Expect(_page.Locator("#status-back")).ToHaveTextAsync("Continue");
        Assert.Equal(["failed"], _h.State.PaymentCallsFor(sessionId).Where(c => c.Accepted).Select(c => c.State));
        Assert.Empty(_dialogs);
    }
}
