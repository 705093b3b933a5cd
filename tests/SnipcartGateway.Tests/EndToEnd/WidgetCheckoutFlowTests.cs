using System.Net;
using System.Text.Json;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// A widget payment (Sandbox Widget) at the HTTP level, under the real host: what the page is given, and how the
/// payment is finished without the browser: the simulator's signed notification to
/// /api/providers/sandboxwidget/notifications?mode=test, then the provider is asked server-to-server.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class WidgetCheckoutFlowTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Fact]
    public async Task The_page_gets_a_flat_widget_and_a_notification_finishes_the_payment_once()
    {
        var (session, token) = _h.NewSession();

        var (paymentRef, widget) = await _h.StartWidgetPaymentAsync(token);

        var payment = _h.State.FindSandboxPayPaymentByReference(paymentRef)!;
        Assert.Equal(SandboxPayFlows.Widget, payment.Flow);
        Assert.Equal(session.Invoice.Amount, payment.Amount);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["kind"] = "sandboxwidget",
                ["scriptUrl"] = $"{_h.Sandbox.BaseAddress}sandboxpay/widget.js",
                ["checkoutToken"] = payment.CheckoutToken!,
                ["transactionId"] = payment.Id,
            },
            widget.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
        Assert.StartsWith($"{_h.Gateway.BaseAddress}api/providers/sandboxwidget/notifications?mode=test", payment.NotificationUrl);
        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));

        // The shopper pays in the widget; nobody polls: the notification alone gets the gateway to ask and confirm.
        using var sandbox = new HttpClient { BaseAddress = _h.Sandbox.BaseAddress };
        var paid = await sandbox.PostAsync($"sandboxpay/widget/v1/checkouts/{payment.CheckoutToken}/pay", null);
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        await _h.State.WaitUntilAsync(s => s.SentCalls.Any(c => c.Kind == SentCallKinds.SandboxPayNotification && c.Subject == payment.Id && c.StatusCode == 200));

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(payment.Id, Assert.Single(_h.State.PaymentCallsFor(session.Id)).TransactionId);
        using var page = _h.Gateway.CreateHttpClient();
        var status = JsonDocument.Parse(await page.GetStringAsync($"api/checkout/payments/{paymentRef}")).RootElement;
        Assert.True(status.GetProperty("confirmed").GetBoolean());
        Assert.Equal($"{_h.Sandbox.BaseAddress}store/orders/{session.Id}", status.GetProperty("returnUrl").GetString());
    }
}
