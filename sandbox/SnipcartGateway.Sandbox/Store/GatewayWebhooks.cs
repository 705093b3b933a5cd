using System.Text;
using System.Text.Json;
using SnipcartGateway.Sandbox.SandboxPay;

namespace SnipcartGateway.Sandbox.Store;

/// <summary>
/// The calls Snipcart's servers make to the merchant: the payment-methods webhook at checkout and the refund
/// webhook from the dashboard. Server to server, recorded with their answers.
/// </summary>
public sealed class GatewayWebhooks(SandboxState state, IHttpClientFactory httpClients)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public sealed record MethodsResult(IReadOnlyList<SandboxPaymentMethod> Methods, int? StatusCode, string? Error);

    /// <summary>POST {GatewayUrl}/api/snipcart/payment-methods with {invoice, publicToken, mode}, as Snipcart documents it.</summary>
    public async Task<MethodsResult> GetPaymentMethodsAsync(SandboxSession session, string publicToken, CancellationToken cancellationToken)
    {
        var url = state.Options.GatewayBase + "/api/snipcart/payment-methods";
        var body = JsonSerializer.Serialize(new { invoice = session.Invoice, publicToken, mode = session.Mode.ToString().ToLowerInvariant() }, Json);
        var (status, answer, error) = await PostAsync(SentCallKinds.PaymentMethods, url, body, session.Id, cancellationToken);
        if (error is not null || status is not >= 200 or not < 300)
        {
            return new MethodsResult([], status, error ?? $"The gateway answered {status}.");
        }
        try
        {
            var methods = JsonSerializer.Deserialize<List<SandboxPaymentMethod>>(answer ?? "", Json) ?? [];
            // Snipcart needs id, name and checkoutUrl; it would drop a method without them.
            var valid = methods.Where(m => !string.IsNullOrWhiteSpace(m.Id) && !string.IsNullOrWhiteSpace(m.Name)
                && Uri.TryCreate(m.CheckoutUrl, UriKind.Absolute, out _)).ToList();
            state.SetPaymentMethods(session.Id, valid);
            return new MethodsResult(valid, status, valid.Count == methods.Count ? null : "Some methods lacked id, name or an absolute checkoutUrl.");
        }
        catch (JsonException ex)
        {
            return new MethodsResult([], status, "The gateway did not answer a JSON array of payment methods: " + ex.Message);
        }
    }

    /// <summary>POST links.refunds with {paymentId, amount}, as Snipcart's dashboard does.</summary>
    public async Task<StoreRefundRecord> RefundAsync(SandboxSession session, decimal amount, CancellationToken cancellationToken)
    {
        var url = session.RefundsUrl ?? throw new InvalidOperationException("The session has no refunds link.");
        var body = JsonSerializer.Serialize(new { paymentId = session.TransactionId, amount }, Json);
        var (status, answer, error) = await PostAsync(SentCallKinds.Refund, url, body, session.Id, cancellationToken);
        var record = new StoreRefundRecord(state.Now, session.Id, amount, status, answer, error);
        state.RecordStoreRefund(record);
        return record;
    }

    private async Task<(int? Status, string? Body, string? Error)> PostAsync(string kind, string url, string body, string subject, CancellationToken cancellationToken)
    {
        var record = new SentCallRecord { At = state.Now, Kind = kind, Url = url, RequestBody = body, Subject = subject };
        try
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await httpClients.CreateClient(SandboxPayNotifier.HttpClientName).PostAsync(url, content, cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            state.RecordSent(record with { StatusCode = (int)response.StatusCode, ResponseBody = answer });
            return ((int)response.StatusCode, answer, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            state.RecordSent(record with { Error = ex.Message });
            return (null, null, ex.Message);
        }
    }
}
