using static SnipcartGateway.Sandbox.SandboxHtml;

namespace SnipcartGateway.Sandbox.Snapplify;

/// <summary>
/// Snapplify's hosted <c>/payment/submit</c> page, where the shopper pays. Three buttons decide the outcome; the
/// shopper is sent back at once (303) to <c>redirectUrl</c> (or <c>declinedUrl</c> for a decline) with the
/// documented <c>client</c>, <c>token</c>, <c>success</c> and <c>referenceCode</c> (plus <c>errorCode</c> and
/// <c>errorMessage</c>, which the plugin reads), and the IPN goes out in the background.
/// </summary>
public static class SnapplifySubmitPage
{
    public const string DeclineCode = "CARD_DECLINED";
    public const string DeclineMessage = "Your bank declined the card. Try another card or payment method.";

    public static IEndpointRouteBuilder MapSnapplifySubmitPage(this IEndpointRouteBuilder app)
    {
        var path = SnapplifyApiEndpoints.Prefix + "/payment/submit";
        app.MapGet(path, (string? client, string? token, SnapplifyState state) =>
        {
            if (Find(client, token, state) is not { } payment)
            {
                return Page("Snapplify Pay", Banner() + "<main class=\"card\"><p>Invalid token. Go back to the store and start again.</p></main>", 400);
            }
            var form = payment.PaymentState is SnapplifyStates.New or SnapplifyStates.Pending
                ? $"""
                  <form method="post" action="{E(path)}?client={E(Uri.EscapeDataString(payment.Client))}&amp;token={E(Uri.EscapeDataString(payment.Token))}" class="actions">
                    <button name="action" value="approve" class="primary">Approve</button>
                    <button name="action" value="decline">Decline</button>
                    <button name="action" value="pending">Leave pending</button>
                  </form>
                  """
                : $"<p>This payment is already <strong>{E(payment.PaymentState)}</strong>.</p>";
            return Page("Snapplify Pay — SANDBOX", $"""
                {Banner()}
                <main class="card">
                  <h1>Pay {Money(payment.Amount, payment.Currency)}</h1>
                  <dl>
                    <dt>Reference</dt><dd>{E(payment.ReferenceCode)}</dd>
                    <dt>Description</dt><dd>{E(payment.Description)}</dd>
                    <dt>State</dt><dd>{E(payment.PaymentState)}</dd>
                  </dl>
                  {form}
                </main>
                """);
        });

        app.MapPost(path, async (string? client, string? token, HttpRequest request, SnapplifyState state) =>
        {
            if (Find(client, token, state) is not { } payment)
            {
                return Page("Snapplify Pay", Banner() + "<main class=\"card\"><p>Invalid token.</p></main>", 400);
            }
            // Read by hand: a provider's page takes no antiforgery token from the merchant.
            var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : null;
            var action = form?["action"].ToString();
            if (payment.PaymentState is not (SnapplifyStates.New or SnapplifyStates.Pending))
            {
                return Page("Snapplify Pay", $"{Banner()}<main class=\"card\"><p>This payment is already {E(payment.PaymentState)}.</p></main>", 409);
            }
            payment = action switch
            {
                "approve" => state.SetState(payment.Token, SnapplifyStates.Completed, notify: true),
                "decline" => state.SetState(payment.Token, SnapplifyStates.Error, notify: true, DeclineCode, DeclineMessage),
                "pending" => state.SetState(payment.Token, SnapplifyStates.Pending, notify: true),
                _ => null,
            };
            return payment is null
                ? Page("Snapplify Pay", Banner() + "<main class=\"card\"><p>Unknown action.</p></main>", 400)
                : new SeeOther(ReturnUrl(payment, declined: action == "decline"));
        });
        return app;
    }

    /// <summary>Where the shopper goes back to, with the documented parameters appended to the merchant's URL.</summary>
    public static string ReturnUrl(SnapplifySimPayment payment, bool declined)
    {
        var target = declined ? payment.DeclinedUrl ?? payment.RedirectUrl : payment.RedirectUrl;
        var query = new List<(string, string)>
        {
            ("client", payment.Client), ("token", payment.Token), ("success", declined ? "0" : "1"), ("referenceCode", payment.ReferenceCode),
        };
        if (declined)
        {
            query.Add(("errorCode", payment.ErrorCode ?? ""));
            query.Add(("errorMessage", payment.ErrorMessage ?? ""));
        }
        return target + (target.Contains('?') ? "&" : "?") + string.Join("&", query.Select(q => q.Item1 + "=" + Uri.EscapeDataString(q.Item2)));
    }

    private static SnapplifySimPayment? Find(string? client, string? token, SnapplifyState state) =>
        state.Get(token) is { } payment && payment.Client == client ? payment : null;

    private static string Banner() =>
        """<div class="test-banner" role="alert">SANDBOX — Snapplify Pay simulator. No money moves. Never use real card data.</div>""";
}
