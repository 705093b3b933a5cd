using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Api;

/// <summary>
/// What the checkout page and the shopper's browser call: start a payment, come back from the provider (or
/// cancel there), and ask how a payment stands. The browser never says what was paid: the server asks the
/// provider and Snipcart itself.
/// </summary>
public sealed class CheckoutApi(CheckoutService checkout, IPaymentStore store, PaymentFinisher finisher, ShopperCancellation cancellation, GatewayUrls urls, TimeProvider time)
{
    public sealed record StartPaymentBody(string? PublicToken, string? Provider, string? Mode, string? Sig);

    public sealed record StartPaymentResponse(string PaymentRef, string? RedirectUrl, IReadOnlyDictionary<string, string>? Widget);

    public sealed record CancelPaymentResponse(string PaymentRef, string Status);

    /// <param name="GivenBack">Set when the order did not keep this payment (a duplicate, or one that failed
    /// verification): the money is being (or was) given back.</param>
    public sealed record PaymentStatusResponse(string PaymentRef, string Status, bool Confirmed, string? ReturnUrl, string? BackUrl, GivenBackView? GivenBack = null, string? OrderNumber = null);

    /// <param name="Reason"><c>duplicate_payment</c> or <c>payment_mismatch</c>.</param>
    /// <param name="Done">The provider (or a person) has given it back.</param>
    /// <param name="OrderPaid">The order is paid by another payment: its page, not this one's, is the shopper's answer.</param>
    public sealed record GivenBackView(string Reason, bool Done, bool OrderPaid = false);

    [Function("CheckoutPayments")]
    public async Task<IResult> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/checkout/payments")] HttpRequest request,
        CancellationToken cancellationToken) =>
        await StartAsync(await ReadBodyAsync(request, cancellationToken), checkout, cancellationToken);

    [Function("CheckoutPaymentStatus")]
    public Task<IResult> Status(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/checkout/payments/{paymentRef}")] HttpRequest request,
        string paymentRef,
        CancellationToken cancellationToken) =>
        StatusAsync(paymentRef, store, finisher, time, cancellationToken);

    [Function("CheckoutReturn")]
    public Task<IResult> Return(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/checkout/return/{paymentRef}")] HttpRequest request,
        string paymentRef,
        CancellationToken cancellationToken) =>
        ReturnAsync(paymentRef, request, finisher, urls, cancellationToken);

    [Function("CheckoutCancel")]
    public Task<IResult> Cancel(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/checkout/cancel/{paymentRef}")] HttpRequest request,
        string paymentRef,
        CancellationToken cancellationToken) =>
        CancelAsync(paymentRef, cancellation, urls, cancellationToken);

    /// <summary>The page's "cancel and choose another": the body is the checkout link (token, provider, mode, sig),
    /// which must be for the session of <paramref name="paymentRef"/>.</summary>
    [Function("CheckoutPaymentCancel")]
    public async Task<IResult> CancelFromPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "api/checkout/payments/{paymentRef}/cancel")] HttpRequest request,
        string paymentRef,
        CancellationToken cancellationToken) =>
        await CancelFromPageAsync(paymentRef, await ReadBodyAsync(request, cancellationToken), cancellation, cancellationToken);

    /// <summary>The JSON body, whatever charset the Content-Type claims (JSON is UTF-8 by RFC 8259); null when empty.
    /// Malformed JSON throws JsonException, which the middleware answers with a 400 problem.</summary>
    private static async Task<StartPaymentBody?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength == 0)
        {
            return null;
        }
        return await JsonSerializer.DeserializeAsync<StartPaymentBody>(request.Body, CheckoutJson, cancellationToken);
    }

    private static readonly JsonSerializerOptions CheckoutJson = new(JsonSerializerDefaults.Web);

    internal static async Task<IResult> StartAsync(StartPaymentBody? body, CheckoutService checkout, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ProblemResults.Of(400, "invalid_body", "A JSON body with publicToken, provider and mode is required.");
        }
        var started = await checkout.StartAsync(new StartPaymentCommand(body.PublicToken, body.Provider, body.Mode, body.Sig), cancellationToken);
        // The provider's URL exactly as it answered it (Uri.ToString() would unescape it and add a trailing slash).
        return Results.Ok(new StartPaymentResponse(started.PaymentRef, started.RedirectUrl?.OriginalString, started.Widget));
    }

    /// <summary>Polled by the page while a payment is being finished. It also nudges the payment along, through
    /// the same exactly-once path as a return.</summary>
    internal static async Task<IResult> StatusAsync(string paymentRef, IPaymentStore store, PaymentFinisher finisher, TimeProvider time, CancellationToken cancellationToken)
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
            SafeRedirect(attempt.BackUrl),
            await GivenBackAsync(attempt, store, cancellationToken),
            OrderDescription.NumberOf(InvoiceSnapshot.Deserialize(attempt.InvoiceJson))));
    }

    private static async Task<GivenBackView?> GivenBackAsync(PaymentAttempt attempt, IPaymentStore store, CancellationToken cancellationToken)
    {
        if (attempt.GiveBackReason is not { } reason)
        {
            return null;
        }
        var session = await store.FindSessionAsync(attempt.SessionId, cancellationToken);
        var paidByAnother = session?.Value.ProcessedPaymentRef is { } paid && paid != attempt.PaymentRef;
        return new GivenBackView(reason, attempt.GiveBackState == Domain.Lifecycle.GiveBackState.Done, paidByAnother);
    }

    internal static async Task<IResult> ReturnAsync(string paymentRef, HttpRequest request, PaymentFinisher finisher, GatewayUrls urls, CancellationToken cancellationToken)
    {
        if (!PaymentReferences.IsWellFormedPaymentRef(paymentRef))
        {
            return UnknownPaymentPage(urls);
        }
        var returnParameters = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var result = await finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, returnParameters, cancellationToken);
        if (result.Outcome == FinishOutcome.NotFound)
        {
            return UnknownPaymentPage(urls);
        }
        // Snipcart's returnUrl when it gave one; otherwise our page, which waits and polls.
        return Results.Redirect(SafeRedirect(result.ReturnUrl) ?? urls.StatusPage(paymentRef), permanent: false, preserveMethod: false);
    }

    internal static async Task<IResult> CancelFromPageAsync(string paymentRef, StartPaymentBody? body, ShopperCancellation cancellation, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ProblemResults.Of(400, "invalid_body", "A JSON body with publicToken, provider, mode and sig is required.");
        }
        var attempt = await cancellation.CancelFromLinkAsync(paymentRef, new StartPaymentCommand(body.PublicToken, body.Provider, body.Mode, body.Sig), cancellationToken);
        return Results.Ok(new CancelPaymentResponse(attempt.PaymentRef, PaymentInFlightGuard.StatusWord(attempt.Status)));
    }

    internal static async Task<IResult> CancelAsync(string paymentRef, ShopperCancellation cancellation, GatewayUrls urls, CancellationToken cancellationToken)
    {
        if (!PaymentReferences.IsWellFormedPaymentRef(paymentRef))
        {
            return UnknownPaymentPage(urls);
        }
        var result = await cancellation.CancelAsync(paymentRef, cancellationToken);
        if (result.Outcome == FinishOutcome.NotFound)
        {
            return UnknownPaymentPage(urls);
        }
        // Paid after all: on to Snipcart's confirmation. Otherwise back to Snipcart's payment step.
        var target = SafeRedirect(result.ReturnUrl) ?? SafeRedirect(result.Attempt?.BackUrl) ?? urls.StatusPage(paymentRef);
        return Results.Redirect(target);
    }

    /// <summary>Only absolute http(s) URLs are followed; anything else is dropped.</summary>
    internal static string? SafeRedirect(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.ToString() : null;

    /// <summary>The shopper's browser arrived from a provider with a reference we never issued: our page says so and
    /// links back to the store, never a JSON body in a browser tab.</summary>
    private static IResult UnknownPaymentPage(GatewayUrls urls) => Results.Redirect(urls.NoticePage("payment_not_found"));

    private static IResult NotFound() => ProblemResults.Of(404, "payment_not_found", "There is no such payment.");
}
