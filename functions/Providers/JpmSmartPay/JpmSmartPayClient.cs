using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SnipcartGateway.Configuration;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// SmartPay's REST API: create checkout, payment status, refund, cancel-or-refund. Every call sends the headers the
/// docs require (Accept-Language: en-US, Origin = the gateway's public origin, User-Agent; Content-Type with a JSON body); authentication is
/// added by <see cref="JpmSmartPayAuthenticationHandler"/> in the named client's pipeline. Errors become
/// <see cref="JpmSmartPayException"/>s that name the path, never a key or token.
/// </summary>
public sealed partial class JpmSmartPayClient(IHttpClientFactory httpClients, IOptionsMonitor<JpmSmartPayOptions> options, IOptions<GatewayOptions> gateway)
{
    public const string HttpClientName = "jpmsmartpay";

    /// <summary>The docs: "We recommend setting a minimum timeout of 90 seconds".</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(90);

    private static readonly string UserAgent = $"{GatewayInfo.Name}/{GatewayInfo.Version}";

    /// <summary>Accept-Language is en-US here too: the seed and the create-checkout page require it on every call
    /// (the shopper's language reaches the page, not SmartPay's API).</summary>
    internal Task<(JpmCheckoutCreated Body, string Raw)> CreateCheckoutAsync(PaymentMode mode, JpmCheckoutBody body, CancellationToken cancellationToken) =>
        SendAsync<JpmCheckoutCreated>(HttpMethod.Post, "/payment/creation", mode, body, DefaultLanguage, idempotent: false, cancellationToken);

    internal Task<(JpmTransaction Body, string Raw)> GetStatusAsync(PaymentMode mode, string transactionId, CancellationToken cancellationToken) =>
        SendAsync<JpmTransaction>(HttpMethod.Get, "/payment/status/" + Uri.EscapeDataString(transactionId), mode, null, DefaultLanguage, idempotent: true, cancellationToken);

    /// <summary>Keyed by modificationId: SmartPay answers a repeated id with the first result, so a retry is safe.</summary>
    internal Task<(JpmTransaction Body, string Raw)> RefundAsync(PaymentMode mode, JpmModificationBody body, CancellationToken cancellationToken) =>
        SendAsync<JpmTransaction>(HttpMethod.Post, "/payment/refund", mode, body, DefaultLanguage, idempotent: true, cancellationToken);

    internal Task<(JpmTransaction Body, string Raw)> CancelOrRefundAsync(PaymentMode mode, JpmModificationBody body, CancellationToken cancellationToken) =>
        SendAsync<JpmTransaction>(HttpMethod.Post, "/payment/cancelOrRefund", mode, body, DefaultLanguage, idempotent: true, cancellationToken);

    /// <summary>The status and modification pages say "Must be en-US".</summary>
    public const string DefaultLanguage = "en-US";

    private async Task<(T Body, string Raw)> SendAsync<T>(HttpMethod method, string path, PaymentMode mode, object? body, string language, bool idempotent, CancellationToken cancellationToken)
        where T : class
    {
        var settings = options.CurrentValue.For(mode);
        if (!settings.IsConfigured || settings.BaseUri is not { } baseUri)
        {
            throw new InvalidOperationException($"SmartPay by J.P. Morgan has no {mode.ToWire()} settings: set Providers__JpmSmartPay__{mode}__BaseUrl, __MerchantKey, __WidgetScriptUrl and __AuthenticationKey (or __TokenUrl, __ClientId, __ClientSecret).");
        }
        using var request = new HttpRequestMessage(method, baseUri.AbsoluteUri.TrimEnd('/') + path);
        request.Options.Set(JpmSmartPayAuthenticationHandler.ModeKey, mode);
        request.Options.Set(JpmSmartPayAuthenticationHandler.RenewalKey, new JpmSmartPayAuthenticationHandler.RenewalBudget());
        if (idempotent)
        {
            OutboundRequest.MarkIdempotent(request);
        }
        // Content-Type describes a body: the POSTs carry JSON, the status GET carries neither a body nor a
        // Content-Type (a GET with a body is refused by some proxies and CDNs in front of APIs).
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, JpmJson.Options), Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.AcceptLanguage.ParseAdd(language);
        request.Headers.TryAddWithoutValidation("Origin", ProviderWidget.OriginOf(gateway.Value.PublicBaseUrl));
        request.Headers.UserAgent.ParseAdd(UserAgent);

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new JpmSmartPayException($"SmartPay could not be reached ({method} {path}).", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JpmSmartPayException($"SmartPay did not answer in time ({method} {path}).", inner: ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var parsed = JpmJson.TryParse<JpmErrorBody>(text);
                var error = parsed is null ? null : new JpmSmartPayError(parsed.Code ?? parsed.ErrorCode ?? parsed.Error, parsed.Message ?? parsed.Description);
                throw new JpmSmartPayException(
                    $"SmartPay answered {(int)response.StatusCode} to {method} {path}"
                    + (error?.Code is { } code ? $" ({code})" : "")
                    + (error?.Message is { } message ? ": " + message : "."),
                    response.StatusCode, error);
            }
            var parsedBody = JpmJson.TryParse<T>(text)
                ?? throw new JpmSmartPayException($"SmartPay answered {method} {path} with unreadable JSON.", response.StatusCode);
            return (parsedBody, text);
        }
    }
}
