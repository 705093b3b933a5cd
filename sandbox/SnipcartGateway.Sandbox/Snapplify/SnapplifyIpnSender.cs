using System.Text;
using System.Text.Json;

namespace SnipcartGateway.Sandbox.Snapplify;

/// <summary>
/// Sends Snapplify's IPNs in the background: <c>{"payment": {...}}</c> posted as JSON to the payment's
/// notificationUrl (none set, none sent). An IPN not answered 2xx within 15 s is retried 3 more times, then dropped
/// (Snapplify would email the client), as its IPN docs say. Each body sent is remembered for /payment/ipn/validate.
/// </summary>
internal sealed class SnapplifyIpnSender(SnapplifyState state, IHttpClientFactory httpClients, ILogger<SnapplifyIpnSender> logger) : BackgroundService
{
    public const string HttpClientName = "snapplify-ipn";
    public const int Retries = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var token in state.PendingIpns.ReadAllAsync(stoppingToken))
        {
            // Each IPN on its own: one slow merchant does not hold back the others.
            _ = Task.Run(() => DeliverAsync(token, stoppingToken), stoppingToken);
        }
    }

    private async Task DeliverAsync(string token, CancellationToken stoppingToken)
    {
        try
        {
            var payment = state.Get(token);
            if (payment?.NotificationUrl is not { } url)
            {
                return;
            }
            var body = JsonSerializer.Serialize(new { payment = payment.ToWire() });
            state.RecordSentIpn(payment.Client, body);
            for (var attempt = 0; attempt <= Retries; attempt++)
            {
                if (attempt > 0)
                {
                    await Task.Delay(state.Options.IpnRetryDelay, stoppingToken);
                }
                if (await SendAsync(token, url, body, attempt, stoppingToken))
                {
                    return;
                }
            }
            logger.LogWarning("Snapplify IPN for {Token} dropped after {Retries} retries", token, Retries);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> SendAsync(string token, string url, string body, int attempt, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(state.Options.IpnTimeout);
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await httpClients.CreateClient(HttpClientName).PostAsync(url, content, timeout.Token);
            state.RecordIpnAttempt(new SnapplifyIpnAttempt(state.Now, token, url, body, attempt, (int)response.StatusCode, null));
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            state.RecordIpnAttempt(new SnapplifyIpnAttempt(state.Now, token, url, body, attempt, null, ex.GetType().Name));
            return false;
        }
    }
}
