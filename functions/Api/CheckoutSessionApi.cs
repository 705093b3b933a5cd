using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Api;

/// <summary>
/// GET /api/checkout/session: what the checkout page shows. The page never talks to Snipcart itself: the gateway
/// fetches the session with the public token (which proves the token, so the validate endpoint is not called
/// as well), checks the link's signature as Pay does, and answers with a display-only view of it: the provider the
/// shopper picked, where the session's payment stands (payable, in progress, paid) and the merchant's branding.
/// </summary>
public sealed class CheckoutSessionApi(ISnipcartClient snipcart, IProviderRegistry providers, CheckoutLinkSigner signer, PaymentInFlightGuard inFlight, CheckoutStore store, GatewayUrls urls)
{
    [Function("CheckoutSession")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/checkout/session")] HttpRequest request,
        CancellationToken cancellationToken)
    {
        // The answer carries the shopper's addresses and email: never let a cache keep it.
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        var link = new CheckoutLinkQuery(
            request.Query["publicToken"].FirstOrDefault(),
            request.Query["provider"].FirstOrDefault(),
            request.Query["mode"].FirstOrDefault(),
            request.Query["sig"].FirstOrDefault());
        return GetSessionAsync(link, cancellationToken);
    }

    /// <summary>GET /api/checkout/store: the merchant's branding and store link, for the screens that have no
    /// order to show (a link without a token, an unknown payment).</summary>
    [Function("CheckoutStore")]
    public IResult Store(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/checkout/store")] HttpRequest request) =>
        Results.Ok(store.View);

    internal sealed record CheckoutLinkQuery(string? PublicToken, string? Provider, string? Mode, string? Sig);

    internal async Task<IResult> GetSessionAsync(CheckoutLinkQuery link, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(link.PublicToken))
        {
            return Problem(StatusCodes.Status400BadRequest, "missing_token", "The publicToken parameter is required.");
        }
        if (!PaymentModes.TryParse(link.Mode, out var paymentMode))
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid_mode", "The mode parameter must be 'test' or 'live'.");
        }
        if (string.IsNullOrWhiteSpace(link.Provider))
        {
            return Problem(StatusCodes.Status400BadRequest, "missing_provider", "The provider parameter is required.");
        }

        // Checked before Snipcart is asked: an unknown id needs no session to be refused.
        var paymentProvider = providers.Find(link.Provider);
        if (paymentProvider is null)
        {
            return ProviderUnavailable(backUrl: null);
        }

        SnipcartPaymentSession? session;
        try
        {
            session = await snipcart.GetPaymentSessionAsync(link.PublicToken, cancellationToken);
        }
        catch (SnipcartException)
        {
            return Problem(StatusCodes.Status502BadGateway, "snipcart_unavailable", "Snipcart could not be reached. Please try again.");
        }
        if (session is null)
        {
            return Problem(StatusCodes.Status401Unauthorized, "invalid_token", "This checkout link has expired or is not valid.");
        }

        var view = CheckoutSessionView.TryFrom(session, paymentMode, paymentProvider);
        if (view is null)
        {
            return Problem(StatusCodes.Status502BadGateway, "invalid_session", "Snipcart returned a payment session the gateway cannot read.");
        }
        // The same check as Pay's, at load: an edited or foreign link never shows a Pay button that would refuse.
        if (string.IsNullOrWhiteSpace(link.Sig) || !signer.IsValid(paymentProvider.Id, paymentMode, session.Invoice, link.Sig))
        {
            return Problem(StatusCodes.Status403Forbidden, "invalid_checkout_link", "This checkout link is not valid.", view.BackUrl, view.OrderNumber);
        }
        if (!paymentProvider.Supports(paymentMode, view.Currency, session.Invoice.BillingAddress?.Country))
        {
            return ProviderUnavailable(view.BackUrl, view.OrderNumber);
        }
        var payment = await inFlight.ReadAsync(session.Id, cancellationToken);
        // The provider's logo beside its name, from the gateway's own site (the page's CSP admits 'self').
        var provider = view.Provider with { IconUrl = paymentProvider.IconPath is { } icon ? urls.Absolute(icon) : null };
        return Results.Ok(CheckoutSessionState.Apply(view, payment) with { Store = store.View, Provider = provider });
    }

    private static IResult ProviderUnavailable(string? backUrl, string? orderNumber = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = "provider_unavailable" };
        // Lets the page offer "back to store" even though it gets no session.
        AddSessionLinks(extensions, backUrl, orderNumber);
        return Results.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Payment method unavailable",
            detail: "This payment method is not available for this order.",
            extensions: extensions);
    }

    private static IResult Problem(int status, string code, string detail, string? backUrl = null, string? orderNumber = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        AddSessionLinks(extensions, backUrl, orderNumber);
        return Results.Problem(statusCode: status, detail: detail, extensions: extensions);
    }

    /// <summary>A refusal of a session that is known still names the order and the way back to its payment step.</summary>
    private static void AddSessionLinks(Dictionary<string, object?> extensions, string? backUrl, string? orderNumber)
    {
        if (backUrl is not null)
        {
            extensions["backUrl"] = backUrl;
        }
        if (orderNumber is not null)
        {
            extensions["orderNumber"] = orderNumber;
        }
    }
}
