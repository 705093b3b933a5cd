using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Snipcart;

/// <summary>
/// Snipcart's custom payment gateway API over HTTP. Timeouts, the circuit breaker and the retries of the GETs
/// are the HttpClient's resilience pipeline (<see cref="SnipcartServiceCollectionExtensions.AddSnipcartClient"/>,
/// <see cref="Hosting.OutboundHttp.RetryPolicy"/>); this class maps answers onto the contract of <see cref="ISnipcartClient"/>.
/// </summary>
public sealed class SnipcartClient(HttpClient http, IOptionsMonitor<SnipcartOptions> options, ILogger<SnipcartClient> logger)
    : ISnipcartClient
{
    private const string ValidatePath = "/public/custom-payment-gateway/validate";
    private const string PaymentSessionPath = "/public/custom-payment-gateway/payment-session";
    private const string PaymentPath = "/private/custom-payment-gateway/payment";
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public async Task<bool> ValidatePublicTokenAsync(string publicToken, CancellationToken cancellationToken = default)
    {
        if (!PublicTokenShape.IsPlausible(publicToken))
        {
            // Never forwarded: it cannot be a token Snipcart issued.
            return false;
        }
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, TokenUrl(ValidatePath, publicToken)), cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }
        if (IsClientError(response.StatusCode))
        {
            logger.LogInformation("Snipcart rejected public token {Token} with {Status}", SecretRedaction.Prefix(publicToken), (int)response.StatusCode);
            return false;
        }
        throw await FailureAsync("validate the public token", response, cancellationToken);
    }

    public async Task<SnipcartPaymentSession?> GetPaymentSessionAsync(string publicToken, CancellationToken cancellationToken = default)
    {
        if (!PublicTokenShape.IsPlausible(publicToken))
        {
            return null;
        }
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, TokenUrl(PaymentSessionPath, publicToken)), cancellationToken);
        if (IsClientError(response.StatusCode))
        {
            logger.LogInformation("Snipcart has no payment session for token {Token} ({Status})", SecretRedaction.Prefix(publicToken), (int)response.StatusCode);
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync("get the payment session", response, cancellationToken);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonSerializer.Deserialize<SnipcartPaymentSession>(body, SnipcartJson.Read)
                ?? throw new JsonException("The payment session is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new SnipcartException($"Snipcart's payment session could not be read: {ex.Message}", response.StatusCode, Truncate(body), ex);
        }
    }

    public async Task<SnipcartPaymentResponse> CreatePaymentAsync(PaymentMode mode, SnipcartPaymentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secretKey = SecretKeyFor(mode);
        var message = new HttpRequestMessage(HttpMethod.Post, options.CurrentValue.BaseUrl + PaymentPath)
        {
            // Snipcart says it accepts application/json only: send exactly that, without a charset parameter.
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(request, SnipcartJson.Write)) { Headers = { ContentType = Json } },
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secretKey);

        logger.LogInformation("Confirming Snipcart payment session {SessionId} as {State} ({Mode})", request.PaymentSessionId, request.State, mode.ToWire());
        using var response = await SendAsync(message, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SnipcartException(
                $"Snipcart refused the payment confirmation of session {request.PaymentSessionId} with {(int)response.StatusCode}.",
                response.StatusCode, Truncate(body));
        }

        // The payment is confirmed at this point whatever the body says: an unreadable reply must not make the
        // caller believe it failed (and confirm again). Only returnUrl is expected, and only for the redirect.
        try
        {
            return string.IsNullOrWhiteSpace(body)
                ? new SnipcartPaymentResponse()
                : JsonSerializer.Deserialize<SnipcartPaymentResponse>(body, SnipcartJson.Read) ?? new SnipcartPaymentResponse();
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "Snipcart confirmed session {SessionId} but its reply is not the expected JSON", request.PaymentSessionId);
            return new SnipcartPaymentResponse();
        }
    }

    private string SecretKeyFor(PaymentMode mode)
    {
        var keys = options.CurrentValue.SecretKeys;
        var key = mode == PaymentMode.Live ? keys.Live : keys.Test;
        if (string.IsNullOrWhiteSpace(key))
        {
            var setting = mode == PaymentMode.Live ? "Snipcart__SecretKeys__Live" : "Snipcart__SecretKeys__Test";
            throw new InvalidOperationException(
                $"No Snipcart secret API key is configured for {mode.ToWire()} mode: set {setting} to the custom gateway's {mode.ToWire()} key.");
        }
        return key.Trim();
    }

    private string TokenUrl(string path, string publicToken) =>
        $"{options.CurrentValue.BaseUrl}{path}?publicToken={Uri.EscapeDataString(publicToken)}";

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                return await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                // Unreachable, or not sent because the circuit is open (ResilienceRejectionHandler).
                throw new SnipcartException($"Snipcart could not be reached ({request.Method} {request.RequestUri?.AbsolutePath}): {ex.Message}", inner: ex);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // An attempt or the whole call timed out (the pipeline's timeouts, surfaced as HttpClient's own).
                throw new SnipcartException($"Snipcart did not answer {request.Method} {request.RequestUri?.AbsolutePath} in time.", inner: ex);
            }
        }
    }

    private static bool IsClientError(HttpStatusCode status) => (int)status is >= 400 and < 500;

    private static async Task<SnipcartException> FailureAsync(string what, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return new SnipcartException($"Snipcart answered {(int)response.StatusCode} when asked to {what}.", response.StatusCode, Truncate(body));
    }

    // Error pages can be large; keep enough for support.
    private static string Truncate(string body) => body.Length <= 2000 ? body : body[..2000] + "…";
}
