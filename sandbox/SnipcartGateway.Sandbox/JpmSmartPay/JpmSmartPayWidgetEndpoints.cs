using System.Text.Json;

namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>
/// What the simulated web SDK (wwwroot/jpmsmartpay/web-sdk.js) talks to from the shopper's browser, with the checkout
/// token as its only credential (as SmartPay's widget does): read the checkout, and submit the tester's choice. Open
/// to any origin (CORS), since the checkout page lives on the gateway's.
/// </summary>
public static class JpmSmartPayWidgetEndpoints
{
    /// <summary>The tester's choices: the status the transaction moves to, the path of the next status reads, and
    /// whether SmartPay would notify (it does for AUTHORIZATION_COMPLETED, CAPTURED and SETTLED).</summary>
    private static readonly Dictionary<string, (string Status, string[] Path, bool Notify)> Outcomes = new(StringComparer.Ordinal)
    {
        ["pay"] = (JpmStatuses.Captured, [], true),
        ["authorize"] = (JpmStatuses.AuthorizationCompleted, [], true),
        ["pending"] = (JpmStatuses.AuthorizationPending, [JpmStatuses.CapturePending, JpmStatuses.Captured], false),
        ["stuck"] = (JpmStatuses.AuthorizationPending, [], false),
        ["decline"] = (JpmStatuses.AuthorizationFailed, [], false),
    };

    public static IEndpointRouteBuilder MapJpmSmartPayWidget(this IEndpointRouteBuilder app)
    {
        // The SDK's own API on another host (real SDKs call SmartPay's API and PCI-proxy hosts from the browser).
        app.MapGet("/jpmsmartpay/sdk-api/config", () => Results.Json(new { paymentOptions = new[] { "CARDS" } }))
            .RequireCors(JpmSmartPayApiEndpoints.CorsPolicy);
        var widget = app.MapGroup("/jpmsmartpay/widget/checkouts").RequireCors(JpmSmartPayApiEndpoints.CorsPolicy);
        widget.MapGet("/{checkoutToken}", (string checkoutToken, JpmSmartPayState state) =>
        {
            var transaction = state.FindByToken(checkoutToken);
            if (transaction is null)
            {
                return JpmSmartPayApiEndpoints.Error(404, "ERR_CONFIG", "Unknown checkout token.");
            }
            if (transaction.TokenExpiresAt <= state.Now)
            {
                return JpmSmartPayApiEndpoints.Error(410, "ERROR_CHECKOUT_TIMEOUT", "The checkout has expired.");
            }
            return Results.Json(new
            {
                transactionId = transaction.TransactionId,
                amount = transaction.Amount,
                currencyCode = transaction.CurrencyCode,
                description = transaction.Description,
                paymentStatus = transaction.Status,
            });
        });
        widget.MapPost("/{checkoutToken}/submit", async (string checkoutToken, HttpRequest request, JpmSmartPayState state) =>
        {
            var transaction = state.FindByToken(checkoutToken);
            if (transaction is null)
            {
                return JpmSmartPayApiEndpoints.Error(404, "ERR_CONFIG", "Unknown checkout token.");
            }
            SubmitBody? body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<SubmitBody>(request.Body, JsonSerializerOptions.Web);
            }
            catch (JsonException)
            {
                body = null;
            }
            if (body?.Outcome == "timeout" || transaction.TokenExpiresAt <= state.Now)
            {
                state.ExpireCheckout(transaction.TransactionId);
                return JpmSmartPayApiEndpoints.Error(410, "ERROR_CHECKOUT_TIMEOUT", "The checkout has expired.");
            }
            if (!JpmStatuses.IsOpen(transaction.Status))
            {
                return JpmSmartPayApiEndpoints.Error(409, "ERR_PAYMENT_CALLBACK", "This checkout was already used.");
            }
            if (body?.Outcome is null || !Outcomes.TryGetValue(body.Outcome, out var outcome))
            {
                return JpmSmartPayApiEndpoints.Error(400, "ERROR_INVALID_INPUT", "outcome must be one of: " + string.Join(", ", Outcomes.Keys) + ", timeout.");
            }
            outcome = JpmSmartPayAutoCapture.Outcome(outcome, state.Settings.AutoCapture);
            var updated = state.SetStatus(transaction.TransactionId, outcome.Status, outcome.Path, outcome.Notify, paymentMethod: "CARDS")!;
            if (outcome.Status == JpmStatuses.AuthorizationFailed)
            {
                return JpmSmartPayApiEndpoints.Error(402, "ERROR_INIT_PAYMENT", "The payment was declined.");
            }
            return Results.Json(new
            {
                kind = "CALLBACK",
                transactionId = updated.TransactionId,
                transactionReference = updated.ReconciliationReferenceId,
                transactionStatus = updated.Status,
                message = "The payment journey is complete.",
            });
        });
        return app;
    }

    private sealed record SubmitBody(string? Outcome);
}
