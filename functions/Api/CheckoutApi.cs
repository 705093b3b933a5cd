using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Api;

/// <summary>
/// What the checkout page and the shopper's browser call: start a payment, come back from the provider (or
/// cancel there), and ask how a payment stands. The browser never says what was paid: the server asks the
/// provider and Snipcart itself.
/// </summary>
public static class CheckoutApi
{
    public sealed record StartPaymentBody(string? PublicToken, string? Provider, string? Mode, string? Sig);

    public sealed record StartPaymentResponse(string PaymentRef, string? RedirectUrl, IReadOnlyDictionary<string, string>? Widget);

    public sealed record PaymentStatusResponse(string PaymentRef, string Status, bool Confirmed, string? ReturnUrl, string? BackUrl);

    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/checkout/payments", StartAsync).AsFunction("CheckoutPayments").WithGatewayProblems();
        app.MapGet("/api/checkout/payments/{paymentRef}", StatusAsync).AsFunction("CheckoutPaymentStatus");
        app.MapGet("/api/checkout/return/{paymentRef}", ReturnAsync).AsFunction("CheckoutReturn");
        app.MapGet("/api/checkout/cancel/{paymentRef}", CancelAsync).AsFunction("CheckoutCancel");
        return app;
    }

    private static async Task<IResult> StartAsync(StartPaymentBody? body, CheckoutService checkout, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ProblemResults.Of(400, "invalid_body", "A JSON body with publicToken, provider and mode is required.");
        }
        var started = await checkout.StartAsync(new StartPaymentCommand(body.PublicToken, body.Provider, body.Mode, body.Sig), cancellationToken);
        return Results.Ok(new StartPaymentResponse(started.PaymentRef, started.RedirectUrl?.ToString(), started.Widget));
    }

    /// <summary>Polled by the page while a payment is being finished. It also nudges the payment along, through
    /// the same exactly-once path as a return.</summary>
    private static async Task<IResult> StatusAsync(string paymentRef, IPaymentStore store, PaymentFinisher finisher, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PaymentReferences.IsWellFormedPaymentRef(paymentRef))
        {
            return NotFound();
        }
        var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
        if (read is null)
        {
            return NotFound();
        }
        var attempt = read.Value;
        if (!attempt.IsSettled && attempt.ReturnUrl is null && !attempt.HasLiveClaim(time.GetUtcNow()))
        {
            attempt = (await finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, cancellationToken: cancellationToken)).Attempt ?? attempt;
        }
        return Results.Ok(new PaymentStatusResponse(
            attempt.PaymentRef,
            attempt.Status.ToString().ToLowerInvariant(),
            attempt.ConfirmedState is not null,
            SafeRedirect(attempt.ReturnUrl),
            SafeRedirect(attempt.BackUrl)));
    }

    private static async Task<IResult> ReturnAsync(string paymentRef, HttpRequest request, PaymentFinisher finisher, GatewayUrls urls, CancellationToken cancellationToken)
    {
        if (!PaymentReferences.IsWellFormedPaymentRef(paymentRef))
        {
            return NotFound();
        }
        var returnParameters = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var result = await finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, returnParameters, cancellationToken);
        if (result.Outcome == FinishOutcome.NotFound)
        {
            return NotFound();
        }
        // Snipcart's returnUrl when it gave one; otherwise our page, which waits and polls.
        return Results.Redirect(SafeRedirect(result.ReturnUrl) ?? urls.StatusPage(paymentRef), permanent: false, preserveMethod: false);
    }

    private static async Task<IResult> CancelAsync(string paymentRef, PaymentFinisher finisher, GatewayUrls urls, CancellationToken cancellationToken)
    {
        if (!PaymentReferences.IsWellFormedPaymentRef(paymentRef))
        {
            return NotFound();
        }
        var result = await finisher.FinishAsync(paymentRef, FinishTrigger.ShopperCancel, cancellationToken: cancellationToken);
        if (result.Outcome == FinishOutcome.NotFound)
        {
            return NotFound();
        }
        // Paid after all: on to Snipcart's confirmation. Otherwise back to Snipcart's payment step.
        var target = SafeRedirect(result.ReturnUrl) ?? SafeRedirect(result.Attempt?.BackUrl) ?? urls.StatusPage(paymentRef);
        return Results.Redirect(target);
    }

    /// <summary>Only absolute http(s) URLs are followed; anything else is dropped.</summary>
    internal static string? SafeRedirect(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.ToString() : null;

    private static IResult NotFound() => ProblemResults.Of(404, "payment_not_found", "There is no such payment.");
}
