using System.Text;

namespace SnipcartGateway.Sandbox.Smartpay;

/// <summary>
/// Delivers Smartpay's webhooks in the background, signed as the SDKs verify them (Smartpay-Signature = hex
/// HMAC-SHA256 of "timestamp.body" under the Base62-decoded signing secret, Smartpay-Signature-Timestamp in epoch
/// ms, Smartpay-Subscription-Id = the endpoint). Anything but 200 is sent again later, with a fresh timestamp, until
/// answered 200 or given up after WebhookMaxAttempts.
/// </summary>
internal sealed class SmartpayWebhookSender(SmartpayState state, SandboxState sandbox, IHttpClientFactory httpClients, ILogger<SmartpayWebhookSender> logger) : BackgroundService
{
    public const string SentCallKind = "smartpay.webhook";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var delivery in state.PendingDeliveries.ReadAllAsync(stoppingToken))
        {
            try
            {
                if (!await DeliverAsync(delivery, stoppingToken) && delivery.Attempt < state.Options.WebhookMaxAttempts)
                {
                    var wait = state.Options.WebhookRetryDelay * Math.Pow(2, Math.Min(delivery.Attempt - 1, 6));
                    _ = RequeueLaterAsync(delivery with { Attempt = delivery.Attempt + 1 }, wait > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : wait, stoppingToken);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Smartpay webhook {EventId} failed", delivery.EventId);
            }
        }
    }

    private async Task RequeueLaterAsync(SmartpayState.PendingDelivery delivery, TimeSpan wait, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(wait, stoppingToken);
            state.DeliveryQueue.TryWrite(delivery);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>True when the endpoint answered 200 (or is gone).</summary>
    private async Task<bool> DeliverAsync(SmartpayState.PendingDelivery delivery, CancellationToken cancellationToken)
    {
        if (state.GetWebhookEndpoint(delivery.EndpointId) is not { Active: true } endpoint)
        {
            return true;
        }
        var timestamp = state.NowMs;
        var signature = SmartpaySimSignature.Sign(endpoint.SigningSecret, timestamp, delivery.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(delivery.Body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Smartpay-Signature", signature);
        request.Headers.TryAddWithoutValidation("Smartpay-Signature-Timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Smartpay-Subscription-Id", endpoint.Id);

        int? status = null;
        string? error = null;
        string? answer = null;
        try
        {
            using var response = await httpClients.CreateClient(SandboxPay.SandboxPayNotifier.HttpClientName).SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            answer = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            error = ex.Message;
        }
        state.RecordDelivery(new SmartpaySimDelivery(state.Now, endpoint.Id, delivery.EventId, delivery.Type, endpoint.Url, delivery.Body, timestamp, signature, status, error));
        sandbox.RecordSent(new SentCallRecord
        {
            At = state.Now, Kind = SentCallKind, Url = endpoint.Url, RequestBody = delivery.Body, StatusCode = status, ResponseBody = answer, Error = error,
            Subject = delivery.Type,
        });
        return status == 200;
    }
}
