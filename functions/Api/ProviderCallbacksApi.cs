using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;

namespace SnipcartGateway.Api;

/// <summary>
/// Provider notifications (webhooks, IPN). The provider authenticates the message; the gateway then asks the
/// provider server-to-server and finishes the payment through the same exactly-once path as the shopper's
/// return, which it may well be racing.
/// </summary>
public sealed class ProviderCallbacksApi(IProviderRegistry providers, PaymentFinisher finisher, ILoggerFactory loggers)
{
    private const int MaxBodyBytes = 256 * 1024;

    [Function("ProviderNotifications")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/providers/{providerId}/notifications")] HttpRequest request,
        string providerId,
        CancellationToken cancellationToken) =>
        HandleAsync(providerId, request, providers, finisher, loggers, cancellationToken);

    internal static async Task<IResult> HandleAsync(
        string providerId,
        HttpRequest request,
        IProviderRegistry providers,
        PaymentFinisher finisher,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ProviderCallbacksApi));
        var provider = providers.Find(providerId);
        if (provider is null)
        {
            return ProblemResults.Of(404, "provider_not_found", $"There is no payment provider '{providerId}'.");
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return ProblemResults.Of(413, "body_too_large", "The notification is too large.");
        }

        // The raw body, exactly as sent: signatures are computed over its bytes. Bounded even when chunked.
        var body = await ReadBoundedAsync(request.Body, cancellationToken);
        if (body is null)
        {
            return ProblemResults.Of(413, "body_too_large", "The notification is too large.");
        }
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);

        ProviderNotification notification;
        try
        {
            notification = await provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = body, Headers = headers, Query = query }, cancellationToken);
        }
        catch (ProviderNotificationRejectedException ex)
        {
            logger.LogWarning("Rejected a {Provider} notification: {Reason}", provider.Id, ex.Message);
            return ProblemResults.Of(401, "invalid_notification", "The notification could not be authenticated.");
        }

        if (!notification.Relevant)
        {
            return Results.Ok(new { received = true });
        }
        if (!PaymentReferences.IsWellFormedPaymentRef(notification.PaymentRef))
        {
            // Not one of ours (or a provider that does not echo our reference): acknowledged so it is not retried.
            logger.LogWarning("A {Provider} notification names no payment of ours (provider id {ProviderPaymentId})", provider.Id, notification.ProviderPaymentId);
            return Results.Ok(new { received = true });
        }

        var result = await finisher.FinishAsync(notification.PaymentRef!, FinishTrigger.Notification, cancellationToken: cancellationToken);
        if (result.Outcome == FinishOutcome.Unreachable)
        {
            // Ask the provider to try again later; reconciliation will also get to it.
            return ProblemResults.Of(503, "try_again", "The payment could not be finished now.");
        }
        return Results.Ok(new { received = true, outcome = result.Outcome.ToString() });
    }

    private static async Task<string?> ReadBoundedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
