using System.Globalization;
using static SnipcartGateway.Sandbox.SandboxHtml;

namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>
/// The hosted Smartpay Checkout the session's <c>url</c> points at. The shopper approves (Smartpay underwrites and
/// approves: back to successUrl), is rejected (back to cancelUrl, as Smartpay documents for a declined order) or
/// cancels (back to cancelUrl). Webhooks go out in the background; the shopper is redirected at once (303).
/// </summary>
public static class SmartpayCheckoutPage
{
    public static IEndpointRouteBuilder MapSmartpayCheckoutPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/smartpay/checkout/{id}", (string id, SmartpayState state) =>
        {
            if (state.GetSession(id) is not { } session || state.GetOrder(session.OrderId) is not { } order)
            {
                return Page("Smartpay", "<main class=\"card\"><p>Unknown checkout session.</p></main>", 404);
            }
            var banner = session.Test ? """<div class="test-banner" role="alert">テスト中 — Smartpay TEST MODE (simulated). No money moves.</div>""" : "";
            var lines = string.Concat(order.LineItems.Select(i =>
                $"<tr><td>{E(i.Name)}</td><td>{E(i.Kind)}</td><td class=\"num\">{i.Quantity}</td><td class=\"num\">{Yen(i.Amount * i.Quantity)}</td></tr>"));
            var body = order.Status != SmartpaySimStatuses.RequiresAuthorization
                ? $"<p>This order is already <strong>{E(order.Status)}</strong>.</p>"
                : session.ExpiresAt < state.Now
                    ? "<p>This checkout session has expired.</p>"
                    : $"""
                      <form method="post" action="/smartpay/checkout/{E(Uri.EscapeDataString(session.Id))}" class="actions">
                        <button name="action" value="approve" class="primary">Confirm and pay</button>
                        <button name="action" value="reject">Simulate rejection</button>
                        <button name="action" value="cancel">Cancel and return to the shop</button>
                      </form>
                      """;
            return Page("Smartpay Checkout", $"""
                {banner}
                <main class="card">
                  <h1>Smartpay: <span id="smartpay-amount">{Yen(order.Amount)}</span></h1>
                  <p>Pay in 3 instalments, interest free.</p>
                  <table><thead><tr><th>Item</th><th>Kind</th><th class="num">Qty</th><th class="num">Amount</th></tr></thead><tbody>{lines}</tbody></table>
                  <p id="smartpay-description">{E(order.Description)}</p>
                  <dl>
                    <dt>Shipping</dt><dd>{Yen(order.ShippingFee)}</dd>
                    <dt>Order</dt><dd><code>{E(order.Id)}</code></dd>
                    <dt>Reference</dt><dd>{E(order.Reference)}</dd>
                  </dl>
                  {body}
                </main>
                """);
        });

        app.MapPost("/smartpay/checkout/{id}", async (string id, HttpRequest request, SmartpayState state) =>
        {
            // A provider's page takes no antiforgery token from the merchant: the form is read by hand.
            var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;
            var action = form?["action"].ToString() ?? "";
            if (state.GetSession(id) is not { } session)
            {
                return Page("Smartpay", "<main class=\"card\"><p>Unknown checkout session.</p></main>", 404);
            }
            switch (action)
            {
                case "approve" when state.Approve(session.OrderId) is not null:
                    return new SeeOther(session.SuccessUrl);
                case "reject" when state.Reject(session.OrderId) is not null:
                    return new SeeOther(session.CancelUrl);
                case "cancel":
                    // The shopper leaves; the order stays awaiting authorisation until it expires.
                    return new SeeOther(session.CancelUrl);
                case "approve" or "reject":
                    return Page("Smartpay", "<main class=\"card\"><p>This order is no longer awaiting confirmation.</p></main>", 409);
                default:
                    return Page("Smartpay", "<main class=\"card\"><p>Unknown action.</p></main>", 400);
            }
        });
        return app;
    }

    /// <summary>Made of digits, commas and the yen sign only: safe in HTML as it is (the encoder would escape ¥).</summary>
    public static string Yen(long amount) => "¥" + amount.ToString("N0", CultureInfo.InvariantCulture);
}
