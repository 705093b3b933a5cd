using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace SnipcartGateway.Sandbox.JpmSmartPay;

/// <summary>
/// Sends SmartPay's notifications in the background to the one endpoint the merchant registered, with the Basic
/// user and password registered with it: <c>{id, merchantKey, createdAt, context, data, origin, eventType, objectId,
/// objectType, metadata}</c>, objectId = the transactionId. No signature (SmartPay has none).
/// </summary>
internal sealed class JpmSmartPayNotifier(JpmSmartPayState state, IHttpClientFactory httpClients, ILogger<JpmSmartPayNotifier> logger) : BackgroundService
{
    public const string HttpClientName = "jpmsmartpay-notifications";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var transactionId in state.PendingNotifications.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(transactionId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "SmartPay notification for {TransactionId} failed", transactionId);
            }
        }
    }

    private async Task SendAsync(string transactionId, CancellationToken cancellationToken)
    {
        var transaction = state.Get(transactionId);
        if (transaction is null)
        {
            return;
        }
        var settings = state.Settings;
        var body = JsonSerializer.Serialize(new
        {
            id = Guid.NewGuid().ToString(),
            merchantKey = settings.MerchantKey,
            createdAt = state.Now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ff'Z'", CultureInfo.InvariantCulture),
            context = (object?)null,
            data = new { paymentStatus = transaction.Status },
            origin = "automated",
            eventType = "updated",
            objectId = transaction.TransactionId,
            objectType = "payment",
            metadata = new { reconciliationReferenceId = transaction.ReconciliationReferenceId },
        });
        var url = state.NotificationUrl;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.NotificationUsername}:{settings.NotificationPassword}")));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            state.RecordNotification(new JpmNotificationRecord(state.Now, url, body, (int)response.StatusCode, null));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            state.RecordNotification(new JpmNotificationRecord(state.Now, url, body, null, ex.Message));
        }
    }
}
