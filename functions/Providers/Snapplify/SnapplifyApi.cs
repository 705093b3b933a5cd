using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.Snapplify;

/// <summary>
/// Snapplify Pay's HTTP API: <c>/payment/request</c>, <c>/payment/validate</c> and <c>/payment/ipn/validate</c>,
/// each authenticated by <c>client</c> and <c>secret</c> in the query string (Snapplify takes no auth header). Those
/// URLs are therefore never written anywhere: exceptions name the path only, and any text taken from an answer is
/// scrubbed of the credentials before it becomes a message.
/// </summary>
public sealed class SnapplifyApi(IHttpClientFactory httpClients, IOptionsMonitor<SnapplifyOptions> options)
{
    public const string HttpClientName = "snapplify";

    public async Task<SnapplifyPaymentRequestAnswer> RequestPaymentAsync(PaymentMode mode, SnapplifyPaymentRequest body, CancellationToken cancellationToken)
    {
        // Not retried: Snapplify documents no idempotency for creating a payment.
        using var request = NewRequest(mode, "/payment/request", [], out var credentials);
        request.Content = JsonContent.Create(body, options: SnapplifyJson.Options);
        var (status, text) = await SendAsync(request, "/payment/request", credentials, cancellationToken);
        var answer = SnapplifyJson.TryParse<SnapplifyPaymentRequestAnswer>(text);
        if (status != HttpStatusCode.OK || answer is null || answer.Code is not null)
        {
            throw Refusal("/payment/request", status, answer is null ? null : new SnapplifyError(answer.Code, answer.Message), text, credentials);
        }
        return answer;
    }

    /// <summary>
    /// <c>POST /payment/validate?client&amp;secret&amp;token</c> with no body, as Snapplify's plugin calls it; the answer is
    /// <c>{"payment": {...}}</c>. Throws <see cref="SnapplifyException"/> for a refusal (non-200, or a <c>code</c>).
    /// </summary>
    public async Task<(SnapplifyPayment Payment, string Raw)> ValidateAsync(PaymentMode mode, string token, CancellationToken cancellationToken)
    {
        using var request = NewRequest(mode, "/payment/validate", [("token", token)], out var credentials);
        // Repeating a validation cannot do anything twice (it only marks the payment validated): safe to retry.
        OutboundRequest.MarkIdempotent(request);
        var (status, text) = await SendAsync(request, "/payment/validate", credentials, cancellationToken);
        var envelope = SnapplifyJson.TryParse<SnapplifyPaymentEnvelope>(text);
        var error = envelope?.Payment is { Code: not null } p ? new SnapplifyError(p.Code, p.Message)
            : SnapplifyJson.TryParse<SnapplifyError>(text) is { Code: not null } top ? top : null;
        if (status != HttpStatusCode.OK || envelope?.Payment is null || error is not null)
        {
            throw Refusal("/payment/validate", status, error, text, credentials);
        }
        return (envelope.Payment, text);
    }

    /// <summary>Posts an IPN's body back, unchanged, to <c>/payment/ipn/validate</c>: true only for a 200 whose body is
    /// <c>VERIFIED</c> (case-insensitive, as Snapplify's plugin reads it). One attempt: Snapplify waits 15 s for our answer.</summary>
    public async Task<bool> ValidateIpnAsync(PaymentMode mode, string body, CancellationToken cancellationToken)
    {
        using var request = NewRequest(mode, "/payment/ipn/validate", [], out var credentials);
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var (status, text) = await SendAsync(request, "/payment/ipn/validate", credentials, cancellationToken);
        return status == HttpStatusCode.OK && string.Equals(text.Trim(), "VERIFIED", StringComparison.OrdinalIgnoreCase);
    }

    private HttpRequestMessage NewRequest(PaymentMode mode, string path, IEnumerable<(string Name, string Value)> query, out string[] credentials)
    {
        var settings = options.CurrentValue.For(mode);
        if (string.IsNullOrWhiteSpace(settings.Client) || string.IsNullOrWhiteSpace(settings.Secret) || settings.BaseUri is not { } baseUri)
        {
            throw new SnapplifyException($"Snapplify Pay has no {mode.ToWire()} client: set Providers__Snapplify__{mode}__Client, __Secret and __BaseUrl.");
        }
        // As configured and as they travel in the query string (URL-escaped): an answer may echo either.
        credentials = [settings.Secret, Uri.EscapeDataString(settings.Secret), settings.Client, Uri.EscapeDataString(settings.Client)];
        var parameters = new[] { ("client", settings.Client), ("secret", settings.Secret) }.Concat(query)
            .Select(p => Uri.EscapeDataString(p.Item1) + "=" + Uri.EscapeDataString(p.Item2));
        return new HttpRequestMessage(HttpMethod.Post, baseUri.AbsoluteUri.TrimEnd('/') + path + "?" + string.Join("&", parameters));
    }

    private async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpRequestMessage request, string path, string[] credentials, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            // The secret (as configured and as escaped) is taken out of every answer at once: its text becomes failure
            // messages Snipcart shows the shopper and provider data kept on the attempt. (The client identifier is not
            // secret and may rightly be part of an answer, such as the redirectUrl.)
            return (response.StatusCode, Scrub(await response.Content.ReadAsStringAsync(cancellationToken), credentials[..2])!);
        }
        catch (HttpRequestException ex)
        {
            // The inner exception is not kept: nothing guarantees its text (or its inner ones) leaves the URL out.
            throw new SnapplifyException($"Snapplify Pay could not be reached ({path}): {Scrub(ex.Message, credentials)}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SnapplifyException($"Snapplify Pay did not answer {path} in time.");
        }
    }

    private static SnapplifyException Refusal(string path, HttpStatusCode status, SnapplifyError? error, string text, string[] credentials)
    {
        var said = error is null
            ? (text.Length == 0 ? "an empty body" : "an unreadable answer")
            : $"{Scrub(error.Message, credentials) ?? "no message"} ({Scrub(error.Code, credentials)})";
        var scrubbed = error is null ? null : new SnapplifyError(Scrub(error.Code, credentials), Scrub(error.Message, credentials));
        return new SnapplifyException($"Snapplify Pay answered {(int)status} to {path}: {said}.", status, scrubbed)
        {
            ShopperMessage = scrubbed?.Message is { Length: > 0 and <= 300 } message ? message : null,
        };
    }

    /// <summary>Replaces the credentials in text that came from elsewhere (an answer may echo its request).</summary>
    private static string? Scrub(string? text, string[] credentials) =>
        text is null ? null : credentials.Where(c => c.Length > 0).Aggregate(text, (t, c) => t.Replace(c, "***", StringComparison.Ordinal));
}
