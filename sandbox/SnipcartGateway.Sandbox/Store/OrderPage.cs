using System.Globalization;
using static SnipcartGateway.Sandbox.SandboxHtml;

namespace SnipcartGateway.Sandbox.Store;

/// <summary>
/// Snipcart's order confirmation page (the create-payment call's returnUrl), plus the dashboard's refund
/// button: what the merchant and the shopper see after the gateway has spoken.
/// </summary>
public static class OrderPage
{
    public static IEndpointRouteBuilder MapOrderPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/store/orders/{sessionId}", (string sessionId, SandboxState state) =>
        {
            var session = state.GetSession(sessionId);
            if (session is null)
            {
                return Page("Order not found", "<main class=\"card\"><h1>Order not found</h1><p><a href=\"/\">Back to the store</a></p></main>", 404);
            }
            var confirmations = state.ConfirmationsFor(sessionId);
            // Keep refreshing while the gateway may still confirm (pending payments, late notifications).
            var refresh = session.State is null or "processing" ? 3 : (int?)null;
            return Page($"Order {session.Id}", Render(session, confirmations, state.StoreRefundsFor(sessionId)), refreshSeconds: refresh);
        });

        app.MapPost("/store/orders/{sessionId}/refunds", async (string sessionId, HttpRequest request, SandboxState state, GatewayWebhooks webhooks) =>
        {
            var session = state.GetSession(sessionId);
            if (session?.RefundsUrl is null || session.State != "processed")
            {
                return Page("Refund", "<main class=\"card\"><p>This order cannot be refunded.</p></main>", 409);
            }
            var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;
            if (!decimal.TryParse(form?["amount"], NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            {
                return Page("Refund", "<main class=\"card\"><p>Enter a positive amount, e.g. 10.50.</p></main>", 400);
            }
            await webhooks.RefundAsync(session, amount, request.HttpContext.RequestAborted);
            return new SeeOther($"/store/orders/{Uri.EscapeDataString(sessionId)}");
        });
        return app;
    }

    private static string Render(SandboxSession session, int confirmations, IReadOnlyList<StoreRefundRecord> refunds)
    {
        var invoice = session.Invoice;
        var status = session.State switch
        {
            "processed" => "<p class=\"ok\">Payment <strong>processed</strong>. Thank you for your order.</p>",
            "processing" => "<p class=\"wait\">Payment <strong>processing</strong>: the provider has not settled yet.</p>",
            "failed" or "invalidated" => $"<p class=\"bad\">Payment <strong>{E(session.State)}</strong>: {E(session.Error?.Message ?? session.Error?.Code ?? "no reason given")}</p>",
            null => "<p class=\"wait\">Not yet confirmed by the gateway.</p>",
            _ => $"<p>State: {E(session.State)}</p>",
        };
        var items = string.Concat(invoice.Items.Select(i =>
            $"<tr><td>{E(i.Name)}</td><td>{E(i.Type)}</td><td>{i.Quantity}</td><td class=\"num\">{Money(i.Amount, invoice.Currency)}</td></tr>"));
        var refundForm = session.State == "processed" && session.RefundsUrl is not null
            ? $"""
              <form method="post" action="/store/orders/{E(Uri.EscapeDataString(session.Id))}/refunds" class="refund">
                <label>Refund amount ({E(invoice.Currency.ToUpperInvariant())}) <input name="amount" inputmode="decimal" value="{E(invoice.Amount.ToString(CultureInfo.InvariantCulture))}" required></label>
                <button>Refund</button>
              </form>
              """
            : "";
        // Snipcart shows a failed payment's message and takes the shopper back to its payment step.
        var pickAgain = session.State is "failed" or "invalidated" && session.PaymentMethods.Count > 0
            ? "<section id=\"pick-again\"><h2>Choose a payment method</h2><div class=\"methods\">" + string.Concat(session.PaymentMethods.Select(m =>
                $"<form method=\"post\" action=\"/_sandbox/sessions/{E(Uri.EscapeDataString(session.Id))}/methods/{E(Uri.EscapeDataString(m.Id))}\"><button class=\"primary\">{E(m.Name)}</button></form>"))
              + "</div></section>"
            : "";
        var refundRows = string.Concat(refunds.Select(r =>
            $"<li>{E(r.At.ToString("u", CultureInfo.InvariantCulture))}: {Money(r.Amount, invoice.Currency)} → {E(r.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no answer")} <code>{E(r.ResponseBody ?? r.Error)}</code></li>"));

        return $"""
            <div class="sandbox-banner">Snipcart sandbox — simulated order page</div>
            <main class="card">
              <h1>Order <code>{E(session.Id)}</code></h1>
              {status}
              {pickAgain}
              <dl>
                <dt>Mode</dt><dd>{E(session.Mode.ToString().ToLowerInvariant())}</dd>
                <dt>Transaction id</dt><dd><code>{E(session.TransactionId ?? "—")}</code></dd>
                <dt>Confirmations (processed)</dt><dd id="confirmations">{confirmations}</dd>
                <dt>Instructions</dt><dd>{E(session.Instructions ?? "—")}</dd>
              </dl>
              <table><thead><tr><th>Item</th><th>Type</th><th>Qty</th><th>Amount</th></tr></thead>
              <tbody>{items}</tbody>
              <tfoot><tr><th colspan="3">Total</th><th class="num">{Money(invoice.Amount, invoice.Currency)}</th></tr></tfoot></table>
              {refundForm}
              {(refunds.Count > 0 ? $"<h2>Refunds sent to the gateway</h2><ul>{refundRows}</ul>" : "")}
              <p><a href="/">Back to the store</a> · <a href="/_sandbox/sessions/{E(Uri.EscapeDataString(session.Id))}">session JSON</a></p>
            </main>
            """;
    }
}
