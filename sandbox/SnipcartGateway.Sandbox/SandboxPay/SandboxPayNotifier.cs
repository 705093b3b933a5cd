using System.Text;
using System.Text.Json;

namespace SnipcartGateway.Sandbox.SandboxPay;

/// <summary>
/// Sends Sandbox Pay's notifications in the background, as a provider's webhook would arrive: after the
/// shopper's redirect, not before. Reads the queue SandboxState fills and records every attempt.
/// </summary>
internal sealed class SandboxPayNotifier(SandboxState state, IHttpClientFactory httpClients, ILogger<SandboxPayNotifier> logger) : BackgroundService
{
    public const string HttpClientName = "sandbox-outbound";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var paymentId in state.PendingNotifications.ReadAllAsync(stoppingToken))
        {
            try
            {
                await SendAsync(paymentId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Sandbox Pay notification for {PaymentId} failed", paymentId);
            }
        }
    }

    private async Task SendAsync(string paymentId, CancellationToken cancellationToken)
    {
        var payment = state.GetSandboxPayPayment(paymentId);
        if (payment?.NotificationUrl is not { } url)
        {
            return;
        }
        var body = JsonSerializer.Serialize(new
        {
            type = "payment.updated",
            payment = state.SandboxPayNotificationsWithoutReference
                ? (object)new { id = payment.Id, status = payment.Status }
                : new { id = payment.Id, status = payment.Status, amount = payment.Amount, currency = payment.Currency, reference = payment.Reference },
        });
        var secret = state.Options.SandboxPay.SigningSecret ?? "";
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(SandboxPaySignature.HeaderName, SandboxPaySignature.Create(secret, state.Now.ToUnixTimeSeconds(), body));

        var record = new SentCallRecord { At = state.Now, Kind = SentCallKinds.SandboxPayNotification, Url = url, RequestBody = body, Subject = payment.Id };
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            state.RecordSent(record with { StatusCode = (int)response.StatusCode, ResponseBody = await response.Content.ReadAsStringAsync(cancellationToken) });
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            state.RecordSent(record with { Error = ex.Message });
        }
    }
}
