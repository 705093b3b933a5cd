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
public sealed class ProviderCallbacksApi(IProviderRegistry providers, PaymentFinisher finisher, IPaymentStore store, TimeProvider time, ILoggerFactory loggers)
{
    private const int MaxBodyBytes = 256 * 1024;

    [Function("ProviderNotifications")]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/providers/{providerId}/notifications")] HttpRequest request,
        string providerId,
        CancellationToken cancellationToken) =>
        HandleAsync(providerId, request, providers, finisher, store, time, loggers, cancellationToken);

    internal static async Task<IResult> HandleAsync(
        string providerId,
        HttpRequest request,
        IProviderRegistry providers,
        PaymentFinisher finisher,
        IPaymentStore store,
        TimeProvider time,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(typeof(ProviderCallbacksApi));
        var provider = providers.Find(providerId);
        if (provider is null)
        {
            return ProblemResults.Of(404, "provider_not_found", $"There is no payment provider '{providerId}'.");
        }
        if (provider.NotificationAnswerBudget is not { } limit)
        {
            return await ProcessAsync(provider, request, finisher, store, time, logger, cancellationToken);
        }

        // The provider gives up on a slow answer (Snapplify: 15 s) and sends again: everything below runs under one
        // budget, and the answer never waits past it. Cancellable steps stop where they are (each write is conditional,
        // so a cut one either landed or not); a Snipcart call already under way is not cut (it holds the claim) and
        // finishes after the answer, or its lease lapses and the timer takes over.
        using var deadline = new CancellationTokenSource(limit, time);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var work = ProcessAsync(provider, request, finisher, store, time, logger, budget.Token);
        try
        {
            return await work.WaitAsync(budget.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            ObserveLateWork(work, provider.Id, logger);
            // Left as it was recorded: an IPN already verified and kept on the attempt is validated by the next
            // lookup (the timer's), and the provider's retry of this notification may finish it sooner.
            logger.LogWarning("A {Provider} notification was not finished within its {Budget} answer budget: answered 503 so it is sent again; the timer finishes what was recorded", provider.Id, limit);
            return ProblemResults.Of(503, "try_again", "The notification could not be finished in time.");
        }
    }

    /// <summary>Reads, authenticates and acts on one notification.</summary>
    private static async Task<IResult> ProcessAsync(
        IPaymentProvider provider,
        HttpRequest request,
        PaymentFinisher finisher,
        IPaymentStore store,
        TimeProvider time,
        ILogger logger,
        CancellationToken cancellationToken)
    {
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
        PaymentMode? urlMode = null;
        if (query.TryGetValue("mode", out var modeText))
        {
            if (!PaymentModes.TryParse(modeText, out var parsedMode))
            {
                return ProblemResults.Of(400, "invalid_mode", "mode must be 'test' or 'live'.");
            }
            urlMode = parsedMode;
        }

        ProviderNotification notification;
        try
        {
            notification = await provider.ParseNotificationAsync(
                new ProviderNotificationRequest { Body = body, Headers = headers, Query = query, Mode = urlMode }, cancellationToken);
        }
        catch (ProviderNotificationRejectedException ex)
        {
            logger.LogWarning("Rejected a {Provider} notification: {Reason}", provider.Id, ex.Message);
            return ProblemResults.Of(401, "invalid_notification", "The notification could not be authenticated.");
        }
        catch (ProviderException ex)
        {
            // Verifying needed the provider (an IPN echo) and it did not answer: let it send again later.
            logger.LogWarning(ex, "Could not verify a {Provider} notification now ({Status})", provider.Id, ex.StatusCode);
            return ProblemResults.Of(503, "try_again", "The notification could not be verified now.");
        }

        if (!notification.Relevant)
        {
            return Results.Ok(new { received = true });
        }

        var paymentRef = await ResolvePaymentRefAsync(provider, notification, store, cancellationToken);
        var read = paymentRef is null ? null : await store.GetAttemptAsync(paymentRef, cancellationToken);
        if (read is null || !string.Equals(read.Value.ProviderId, provider.Id, StringComparison.OrdinalIgnoreCase))
        {
            // Not a payment of ours with this provider: nothing changes, and the provider is answered as it expects.
            logger.LogWarning("A {Provider} notification names no payment of ours (provider id {ProviderPaymentId})", provider.Id, notification.ProviderPaymentId);
            return provider.UnknownPaymentNotificationStatus == StatusCodes.Status404NotFound
                ? ProblemResults.Of(404, "payment_not_found", "There is no such payment.")
                : Results.Ok(new { received = true });
        }
        var verifiedMode = notification.Mode ?? urlMode;
        if (verifiedMode is { } mode && mode != read.Value.Mode)
        {
            // Verified with one mode's credentials: it has no say over the other mode's payments.
            logger.LogWarning("A {Provider} notification verified for {Mode} mode names payment {PaymentRef} of the other mode: ignored", provider.Id, mode, paymentRef);
            return ProblemResults.Of(401, "invalid_notification", "The notification could not be authenticated.");
        }
        if (notification.ProviderData is not null || notification.Attention is not null)
        {
            await RecordAsync(read, notification, store, time, logger, cancellationToken);
        }

        var result = await finisher.FinishAsync(paymentRef!, FinishTrigger.Notification, cancellationToken: cancellationToken);
        if (result.Outcome == FinishOutcome.Unreachable)
        {
            // Ask the provider to try again later; reconciliation will also get to it.
            return ProblemResults.Of(503, "try_again", "The payment could not be finished now.");
        }
        return Results.Ok(new { received = true, outcome = result.Outcome.ToString() });
    }

    /// <summary>Work still running after the budget answered (a Snipcart call holding the claim): its failure is logged,
    /// never left unobserved.</summary>
    private static void ObserveLateWork(Task<IResult> work, string providerId, ILogger logger) =>
        _ = work.ContinueWith(
            done => logger.LogError(done.Exception, "A {Provider} notification failed after it was answered", providerId),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

    /// <summary>Our reference when the notification carries it, else the one recorded for the provider's id.</summary>
    private static async Task<string?> ResolvePaymentRefAsync(IPaymentProvider provider, ProviderNotification notification, IPaymentStore store, CancellationToken cancellationToken)
    {
        if (PaymentReferences.IsWellFormedPaymentRef(notification.PaymentRef))
        {
            return notification.PaymentRef;
        }
        if (string.IsNullOrEmpty(notification.ProviderPaymentId))
        {
            return null;
        }
        var found = await store.FindPaymentRefAsync(provider.Id, notification.ProviderPaymentId, cancellationToken);
        return PaymentReferences.IsWellFormedPaymentRef(found) ? found : null;
    }

    /// <summary>Keeps the ids the notification carries, and flags money that moved outside the normal flow (a
    /// dashboard refund, a chargeback). Best effort: the finisher runs either way.</summary>
    private static async Task RecordAsync(Versioned<PaymentAttempt> read, ProviderNotification notification, IPaymentStore store, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 3; tries++)
        {
            var attempt = read.Value;
            var changed = ProviderData.Merge(attempt.ProviderData, notification.ProviderData);
            if (notification.Attention is { } attention)
            {
                changed |= ProviderData.Merge(attempt.ProviderData, new Dictionary<string, string> { ["attention"] = attention });
                changed |= !attempt.NeedsAttention;
                attempt.NeedsAttention = true;
            }
            if (!changed)
            {
                return;
            }
            attempt.UpdatedAt = time.GetUtcNow();
            if (await store.TryUpdateAttemptAsync(attempt, read.Version, cancellationToken))
            {
                if (notification.Attention is { } code)
                {
                    logger.LogError("{Provider} reports '{Attention}' on payment {PaymentRef}: flagged, the merchant must look", attempt.ProviderId, code, attempt.PaymentRef);
                }
                return;
            }
            read = await store.GetAttemptAsync(attempt.PaymentRef, cancellationToken) ?? read;
        }
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
