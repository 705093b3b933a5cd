using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.JpmSmartPay;

public sealed partial class JpmSmartPayClient
{
    /// <summary>POST /payment/capture, keyed by modificationId: SmartPay answers a repeated id with the first result,
    /// so the resilience pipeline may send it again.</summary>
    internal Task<(JpmTransaction Body, string Raw)> CaptureAsync(PaymentMode mode, JpmModificationBody body, CancellationToken cancellationToken) =>
        SendAsync<JpmTransaction>(HttpMethod.Post, "/payment/capture", mode, body, DefaultLanguage, idempotent: true, cancellationToken);
}
