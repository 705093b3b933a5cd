namespace SnipcartGateway.Sandbox.Store;

/// <summary>
/// The demo store's back end: plays Snipcart's part of the checkout (session, token, payment-methods webhook,
/// redirect to the chosen method with a fresh token) and exposes the sandbox's records as JSON.
/// </summary>
public static class StoreEndpoints
{
    public static IEndpointRouteBuilder MapStore(this IEndpointRouteBuilder app)
    {
        app.MapGet("/_sandbox/catalog", () => Results.Json(new
        {
            currencies = StoreCatalog.Currencies,
            products = StoreCatalog.Products.Select(p => new { p.Id, p.Name, p.Type, prices = p.Prices }),
        }));

        app.MapPost("/_sandbox/checkout", CheckoutAsync);

        app.MapPost("/_sandbox/sessions/{id}/methods/{methodId}", (string id, string methodId, SandboxState state) =>
        {
            var method = state.GetSession(id)?.PaymentMethods.FirstOrDefault(m => m.Id == methodId);
            if (method is null)
            {
                return Results.NotFound();
            }
            // Snipcart appends a new public token to the method's checkoutUrl, keeping any query it has.
            var token = state.MintToken(id);
            var separator = method.CheckoutUrl.Contains('?') ? "&" : "?";
            return new SeeOther(method.CheckoutUrl + separator + "publicToken=" + Uri.EscapeDataString(token));
        });

        app.MapGet("/_sandbox/calls", (SandboxState state, Snapplify.SnapplifyState snapplify) => Results.Json(new
        {
            paymentCalls = state.PaymentCalls,
            received = state.ReceivedCalls,
            sent = state.SentCalls,
            sandboxPayPayments = state.SandboxPayPayments,
            sandboxPayRefunds = state.SandboxPayRefunds,
            snapplifyPayments = snapplify.Payments,
            snapplifyIpns = snapplify.IpnAttempts,
        }));

        app.MapGet("/_sandbox/sessions/{id}", (string id, SandboxState state) =>
            state.GetSession(id) is { } session
                ? Results.Json(new
                {
                    session,
                    confirmations = state.ConfirmationsFor(id),
                    paymentCalls = state.PaymentCallsFor(id),
                    refunds = state.StoreRefundsFor(id),
                })
                : Results.NotFound());

        return app;
    }

    private static async Task<IResult> CheckoutAsync(CheckoutRequest request, SandboxState state, GatewayWebhooks webhooks, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<SandboxMode>(request.Mode ?? "test", ignoreCase: true, out var mode))
        {
            return Results.BadRequest(new { error = "mode must be test or live." });
        }
        var cart = (request.Items ?? []).Select(i => new InvoiceCalculator.CartLine(i.ProductId ?? "", i.Quantity)).ToList();
        var (invoice, error) = InvoiceCalculator.Build(cart, request.Currency ?? "usd", request.Language ?? "en", request.Email, request.BillingAddress, request.ShippingAddress);
        if (invoice is null)
        {
            return Results.BadRequest(new { error });
        }

        var session = state.CreateSession(mode, invoice);
        var token = state.MintToken(session.Id);
        var result = await webhooks.GetPaymentMethodsAsync(session, token, cancellationToken);
        return Results.Json(new
        {
            sessionId = session.Id,
            invoice,
            // The page never sees checkoutUrl: it asks the sandbox to redirect, as Snipcart does, with a fresh token.
            methods = result.Methods.Select(m => new { m.Id, m.Name, m.IconUrl }),
            gatewayStatus = result.StatusCode,
            error = result.Error,
        });
    }

    public sealed record CheckoutItem(string? ProductId, int Quantity);

    public sealed record CheckoutRequest(
        IReadOnlyList<CheckoutItem>? Items, string? Currency, string? Language, string? Email,
        SandboxAddress? BillingAddress, SandboxAddress? ShippingAddress, string? Mode);
}
