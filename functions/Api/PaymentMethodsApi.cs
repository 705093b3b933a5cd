using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Snipcart;

namespace SnipcartGateway.Api;

/// <summary>
/// Snipcart's payment-methods webhook: validate the token (one upstream call), answer the providers that fit
/// the invoice. Nothing is stored on this path: it runs on every visit to Snipcart's payment step.
/// </summary>
public sealed class PaymentMethodsApi(ISnipcartClient snipcart, IProviderRegistry providers, HealthAwareProviders healthy, GatewayUrls urls, CheckoutLinkSigner signer, ILoggerFactory loggers)
{
    [Function("PaymentMethods")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/snipcart/payment-methods")] HttpRequest request,
        CancellationToken cancellationToken) =>
        HandleAsync(request, snipcart, providers, healthy, urls, signer, loggers, cancellationToken);

    internal static async Task<IResult> HandleAsync(
        HttpRequest request,
        ISnipcartClient snipcart,
        IProviderRegistry providers,
        HealthAwareProviders healthy,
        GatewayUrls urls,
        CheckoutLinkSigner signer,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(PaymentMethodsApi));
        SnipcartPaymentMethodsRequest? body;
        try
        {
            body = request.ContentLength == 0 ? null : await JsonSerializer.DeserializeAsync<SnipcartPaymentMethodsRequest>(request.Body, SnipcartJson.Read, cancellationToken);
        }
        catch (JsonException)
        {
            return ProblemResults.Of(400, "invalid_body", "The body is not valid JSON.");
        }

        // The docs put the token in the body, or in the query string: accept both.
        var token = body?.PublicToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            token = request.Query["publicToken"].FirstOrDefault() ?? request.Query["PublicToken"].FirstOrDefault();
        }
        if (string.IsNullOrWhiteSpace(token))
        {
            return ProblemResults.Of(401, "missing_token", "A publicToken is required.");
        }
        try
        {
            if (!await snipcart.ValidatePublicTokenAsync(token, cancellationToken))
            {
                return ProblemResults.From(GatewayProblemException.InvalidToken());
            }
        }
        catch (SnipcartException ex)
        {
            logger.LogWarning(ex, "Snipcart did not answer the token validation ({Status})", ex.StatusCode);
            return ProblemResults.From(GatewayProblemException.SnipcartUnavailable());
        }

        if (!PaymentModes.TryParse(body?.Mode ?? request.Query["mode"].FirstOrDefault(), out var mode))
        {
            return ProblemResults.Of(400, "invalid_mode", "mode must be 'test' or 'live'.");
        }
        var invoice = body?.Invoice;
        if (invoice is null || !CurrencyCodes.IsValid(invoice.Currency))
        {
            return ProblemResults.Of(400, "invalid_invoice", "The invoice and its currency are required.");
        }

        var currency = CurrencyCodes.Normalize(invoice.Currency);
        var methods = new List<SnipcartPaymentMethod>();
        // A provider whose calls are failing is left out until it recovers (logged and counted there).
        foreach (var provider in healthy.Offer(providers.AvailableFor(mode, currency, invoice.BillingAddress?.Country)))
        {
            if (signer.Sign(provider.Id, mode, invoice) is not { } signature)
            {
                // Without the mode's secret key the payment could never be confirmed: offer nothing.
                logger.LogError("No Snipcart secret key for {Mode} mode (Snipcart__SecretKeys__{Setting}): no payment method offered", mode.ToWire(), mode);
                break;
            }
            methods.Add(new SnipcartPaymentMethod
            {
                Id = provider.Id,
                Name = provider.DisplayName,
                CheckoutUrl = urls.CheckoutUrl(provider.Id, mode, signature),
                IconUrl = provider.IconPath is { } icon ? urls.Absolute(icon) : null,
            });
        }
        // Debug, not Information: this runs on every visit to Snipcart's payment step and is no payment event (no
        // payment exists yet, nothing is stored). At Information each call sends one more log message from the worker
        // to the host over gRPC (a few per cent of the webhook's CPU, docs/benchmarks.md); the host's own
        // per-invocation lines and request telemetry already record each call.
        logger.LogDebug("Offered {Count} payment method(s) for a {Mode} {Currency} invoice", methods.Count, mode.ToWire(), currency);
        return Results.Json(methods, SnipcartJson.Write);
    }
}
