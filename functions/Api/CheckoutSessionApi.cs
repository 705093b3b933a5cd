using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Api;

/// <summary>
/// GET /api/checkout/session: what the checkout page shows. The page never talks to Snipcart itself: the gateway
/// fetches the session with the public token (which proves the token, so the validate endpoint is not called
/// as well) and answers with a display-only view of it, plus the provider the shopper picked.
/// </summary>
public sealed class CheckoutSessionApi(ISnipcartClient snipcart, IProviderRegistry providers)
{
    [Function("CheckoutSession")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "api/checkout/session")] HttpRequest request,
        CancellationToken cancellationToken) =>
        GetSessionAsync(
            request.HttpContext,
            request.Query["publicToken"].FirstOrDefault(),
            request.Query["provider"].FirstOrDefault(),
            request.Query["mode"].FirstOrDefault(),
            snipcart,
            providers,
            cancellationToken);

    internal static async Task<IResult> GetSessionAsync(
        HttpContext context,
        string? publicToken,
        string? provider,
        string? mode,
        ISnipcartClient snipcart,
        IProviderRegistry providers,
        CancellationToken cancellationToken)
    {
        // The answer carries the shopper's addresses and email: never let a cache keep it.
        context.Response.Headers.CacheControl = "no-store";

        if (string.IsNullOrWhiteSpace(publicToken))
        {
            return Problem(StatusCodes.Status400BadRequest, "missing_token", "The publicToken parameter is required.");
        }
        if (!PaymentModes.TryParse(mode, out var paymentMode))
        {
            return Problem(StatusCodes.Status400BadRequest, "invalid_mode", "The mode parameter must be 'test' or 'live'.");
        }
        if (string.IsNullOrWhiteSpace(provider))
        {
            return Problem(StatusCodes.Status400BadRequest, "missing_provider", "The provider parameter is required.");
        }

        // Checked before Snipcart is asked: an unknown id needs no session to be refused.
        var paymentProvider = providers.Find(provider);
        if (paymentProvider is null)
        {
            return ProviderUnavailable(backUrl: null);
        }

        SnipcartPaymentSession? session;
        try
        {
            session = await snipcart.GetPaymentSessionAsync(publicToken, cancellationToken);
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
        if (!paymentProvider.Supports(paymentMode, view.Currency, session.Invoice.BillingAddress?.Country))
        {
            return ProviderUnavailable(view.BackUrl);
        }
        return Results.Ok(view);
    }

    private static IResult ProviderUnavailable(string? backUrl)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = "provider_unavailable" };
        // Lets the page offer "back to store" even though it gets no session.
        if (backUrl is not null)
        {
            extensions["backUrl"] = backUrl;
        }
        return Results.Problem(
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Payment method unavailable",
            detail: "This payment method is not available for this order.",
            extensions: extensions);
    }

    private static IResult Problem(int status, string code, string detail) =>
        Results.Problem(
            statusCode: status,
            detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = code });
}
