using static SnipcartGateway.Sandbox.SandboxHtml;

namespace SnipcartGateway.Sandbox.SandboxPay;

/// <summary>
/// Sandbox Pay's hosted payment page: where the gateway redirects the shopper. Four buttons decide the outcome;
/// the notification goes out in the background and the shopper is sent back at once (303), as real providers do.
/// </summary>
public static class SandboxPayHostedPage
{
    private static readonly Dictionary<string, string> Outcomes = new(StringComparer.Ordinal)
    {
        ["pay"] = SandboxPayStatuses.Succeeded,
        ["decline"] = SandboxPayStatuses.Declined,
        ["pending"] = SandboxPayStatuses.Pending,
        ["cancel"] = SandboxPayStatuses.Canceled,
    };

    public static IEndpointRouteBuilder MapSandboxPayHostedPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/sandboxpay/pay/{id}", (string id, SandboxState state) =>
        {
            var payment = state.GetSandboxPayPayment(id);
            if (payment is null || payment.Flow != SandboxPayFlows.Redirect)
            {
                // A widget payment is paid in its widget, on the merchant's page: it has no hosted page.
                return Page("Sandbox Pay", Banner() + "<main><p>Unknown payment.</p></main>", 404);
            }
            var final = SandboxPayStatuses.IsFinal(payment.Status);
            var form = final
                ? $"<p>This payment is already <strong>{E(payment.Status)}</strong>.</p><p><a href=\"{E(ReturnUrl(payment))}\">Back to the shop</a></p>"
                : $"""
                  <form method="post" action="/sandboxpay/pay/{E(Uri.EscapeDataString(payment.Id))}" class="actions">
                    <button name="action" value="pay" class="primary">Pay</button>
                    <button name="action" value="decline">Decline</button>
                    <button name="action" value="pending">Leave pending</button>
                    <button name="action" value="cancel">Cancel</button>
                  </form>
                  """;
            return Page("Sandbox Pay — TEST ONLY", $"""
                {Banner()}
                <main class="card">
                  <h1>Pay {Money(payment.Amount, payment.Currency)}</h1>
                  <dl>
                    <dt>Reference</dt><dd>{E(payment.Reference)}</dd>
                    <dt>Description</dt><dd>{E(payment.Description)}</dd>
                    <dt>Payment</dt><dd><code>{E(payment.Id)}</code></dd>
                    <dt>Status</dt><dd>{E(payment.Status)}</dd>
                  </dl>
                  {form}
                </main>
                """);
        });

        app.MapPost("/sandboxpay/pay/{id}", async (string id, HttpRequest request, SandboxState state) =>
        {
            // Read the form by hand: a provider's page takes no antiforgery token from the merchant.
            var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;
            var action = form?["action"].ToString() ?? "";
            if (!Outcomes.TryGetValue(action, out var status))
            {
                return Page("Sandbox Pay", Banner() + "<main><p>Unknown action.</p></main>", 400);
            }
            var payment = state.GetSandboxPayPayment(id);
            if (payment is null || payment.Flow != SandboxPayFlows.Redirect)
            {
                return Page("Sandbox Pay", Banner() + "<main><p>Unknown payment.</p></main>", 404);
            }
            if (SandboxPayStatuses.IsFinal(payment.Status))
            {
                return Page("Sandbox Pay", $"{Banner()}<main><p>This payment is already {E(payment.Status)}.</p></main>", 409);
            }
            payment = state.SetSandboxPayStatus(id, status, notify: true)!;
            var target = status == SandboxPayStatuses.Canceled ? payment.CancelUrl! : ReturnUrl(payment);
            return new SeeOther(target);
        });
        return app;
    }

    private static string ReturnUrl(SandboxPayPayment payment) =>
        payment.ReturnUrl + (payment.ReturnUrl!.Contains('?') ? "&" : "?") + "sandboxpay_payment=" + Uri.EscapeDataString(payment.Id);

    private static string Banner() =>
        """<div class="test-banner" role="alert">TEST ONLY — Sandbox Pay. No money moves. Never use real card data.</div>""";
}
