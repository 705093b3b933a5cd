using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.Smartpay;

/// <summary>
/// Smartpay's REST API as its SDKs call it: <c>Authorization: Basic &lt;secret key&gt;</c> with the raw key of the
/// mode (not base64: every SDK sends it so), JSON both ways, an <c>Idempotency-Key</c> on every write. Retries and
/// timeouts are the named client's resilience pipeline (one retry of a read, or of a keyed write, after a 5xx or
/// no answer). Errors become <see cref="SmartpayException"/>, logged with Smartpay's code and message (never a key).
/// </summary>
public sealed class SmartpayClient(IHttpClientFactory httpClients, IOptionsMonitor<SmartpayOptions> options, ILogger<SmartpayClient> logger)
{
    public const string HttpClientName = "smartpay";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<T> GetAsync<T>(PaymentMode mode, string path, CancellationToken cancellationToken) where T : class =>
        SendAsync<T>(HttpMethod.Get, mode, path, null, null, cancellationToken);

    public Task<T> PostAsync<T>(PaymentMode mode, string path, object body, string idempotencyKey, CancellationToken cancellationToken) where T : class =>
        SendAsync<T>(HttpMethod.Post, mode, path, body, idempotencyKey, cancellationToken);

    public Task<T> PutAsync<T>(PaymentMode mode, string path, string idempotencyKey, CancellationToken cancellationToken) where T : class =>
        SendAsync<T>(HttpMethod.Put, mode, path, null, idempotencyKey, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, PaymentMode mode, string path, object? body, string? idempotencyKey, CancellationToken cancellationToken)
        where T : class
    {
        var settings = options.CurrentValue.For(mode);
        if (string.IsNullOrWhiteSpace(settings.SecretKey) || settings.BaseUri is not { } baseUri)
        {
            // A provider error (not a bug): an attempt of a mode whose key was removed is "cannot ask now", never a 500.
            throw new SmartpayException($"Smartpay has no {mode.ToWire()} key: set Providers__Smartpay__{mode}__SecretKey.")
            {
                ShopperMessage = "Smartpay is not available for this shop right now. Please choose another payment method.",
            };
        }
        using var request = new HttpRequestMessage(method, baseUri.AbsoluteUri.TrimEnd('/') + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", settings.SecretKey.Trim());
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (idempotencyKey is not null)
        {
            request.Headers.Add(OutboundRequest.IdempotencyKeyHeader, idempotencyKey);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("Smartpay could not be reached for {Method} {Path}: {Error}", method, path, ex.Message);
            throw new SmartpayException($"Smartpay could not be reached ({method} {path}).", inner: ex)
            {
                ShopperMessage = "Smartpay cannot be reached right now. Please try again in a moment.",
            };
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Smartpay did not answer {Method} {Path} in time", method, path);
            throw new SmartpayException($"Smartpay did not answer in time ({method} {path}).", inner: ex)
            {
                ShopperMessage = "Smartpay did not answer in time. Please try again in a moment.",
            };
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // An error answer may quote the request (its key among it): scrubbed before it becomes a log line, an
                // exception message or a shopper's message.
                var error = TryParse<SmartpayError>(Scrub(text, options.CurrentValue));
                logger.LogWarning("Smartpay answered {Status} to {Method} {Path}: {ErrorCode} {ErrorMessage}",
                    (int)response.StatusCode, method, path, error?.ErrorCode, error?.Message);
                throw new SmartpayException(
                    $"Smartpay answered {(int)response.StatusCode} to {method} {path}"
                    + (error?.ErrorCode is { } code ? $" ({code})" : "")
                    + (error?.Message is { } message ? ": " + message : "."),
                    response.StatusCode, error)
                {
                    ShopperMessage = ShopperMessageFor(response.StatusCode, error),
                };
            }
            return TryParse<T>(text) ?? throw new SmartpayException($"Smartpay answered {method} {path} with unreadable JSON.", response.StatusCode);
        }
    }

    /// <summary>What the shopper reads on our page: Smartpay's own message for a refusal of the order's data, a
    /// plain "try again" otherwise (a key refused is the merchant's problem, not theirs).</summary>
    internal static string ShopperMessageFor(HttpStatusCode status, SmartpayError? error) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "Smartpay is not available for this shop right now. Please choose another payment method.",
        >= HttpStatusCode.InternalServerError => "Smartpay is having trouble right now. Please try again in a moment.",
        _ when error?.Message is { Length: > 0 and <= 300 } message => "Smartpay could not take this order: " + message,
        _ => "Smartpay could not take this order. Please choose another payment method.",
    };

    /// <summary>Replaces every configured Smartpay secret (both modes' keys and signing secrets) in text that came
    /// from elsewhere.</summary>
    internal static string Scrub(string text, SmartpayOptions settings) =>
        new[] { settings.Test.SecretKey, settings.Test.SigningSecret, settings.Live.SecretKey, settings.Live.SigningSecret }
            .Select(secret => secret?.Trim())
            .Where(secret => !string.IsNullOrEmpty(secret))
            .Aggregate(text, (scrubbed, secret) => scrubbed.Replace(secret!, "***", StringComparison.Ordinal));

    private static T? TryParse<T>(string text) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
