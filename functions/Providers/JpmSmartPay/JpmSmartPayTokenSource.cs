using System.Collections.Concurrent;
using System.Net;
using SnipcartGateway.Hosting.OutboundHttp;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// OAuth 2.0 client-credentials tokens for SmartPay (POST TokenUrl, form <c>client_id</c>, <c>client_secret</c>,
/// <c>grant_type=client_credentials</c> → <c>{access_token, expires_in, token_type}</c>), one cached per token URL and
/// client id until shortly before <c>expires_in</c> runs out. One fetch at a time per client: concurrent payments
/// share the token rather than each asking for one.
/// </summary>
public sealed class JpmSmartPayTokenSource(IHttpClientFactory httpClients, TimeProvider clock)
{
    public const string HttpClientName = "jpmsmartpay-oauth";

    /// <summary>A token is renewed this long before it expires (or at half its life when that is shorter), so a
    /// call never leaves with a token that dies on the way.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    /// <summary>A token valid for a while yet: the cached one, or a new one.</summary>
    public async Task<string> GetAsync(JpmSmartPayModeOptions settings, CancellationToken cancellationToken)
    {
        var key = Key(settings);
        if (_tokens.TryGetValue(key, out var cached) && cached.RenewAt > clock.GetUtcNow())
        {
            return cached.Token;
        }
        var gate = _gates.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (_tokens.TryGetValue(key, out cached) && cached.RenewAt > clock.GetUtcNow())
            {
                return cached.Token;
            }
            var fresh = await FetchAsync(settings, cancellationToken);
            _tokens[key] = fresh;
            return fresh.Token;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>SmartPay refused <paramref name="token"/> (401): forget it, unless another call already replaced it.</summary>
    public void Invalidate(JpmSmartPayModeOptions settings, string token)
    {
        var key = Key(settings);
        if (_tokens.TryGetValue(key, out var cached) && cached.Token == token)
        {
            _tokens.TryRemove(new KeyValuePair<string, Entry>(key, cached));
        }
    }

    private async Task<Entry> FetchAsync(JpmSmartPayModeOptions settings, CancellationToken cancellationToken)
    {
        var tokenUri = settings.TokenUri ?? throw new JpmSmartPayException("SmartPay OAuth is not configured (TokenUrl).");
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUri)
        {
            Content = new FormUrlEncodedContent(
            [
                new("client_id", settings.ClientId ?? ""),
                new("client_secret", settings.ClientSecret ?? ""),
                new("grant_type", "client_credentials"),
            ]),
        };
        // Asking for a token twice changes nothing at the provider: a lost answer may be asked again.
        OutboundRequest.MarkIdempotent(request);

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new JpmSmartPayException("SmartPay's token endpoint could not be reached.", inner: ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JpmSmartPayException("SmartPay's token endpoint did not answer in time.", inner: ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // OAuth errors are {"error": "invalid_client"}: a code, never a secret.
                var error = JpmJson.TryParse<JpmErrorBody>(text);
                var code = error?.Error ?? error?.Code;
                // A refused client is a configuration problem, not the payment's: 502-like for the core, never a 4xx
                // the core would read as "SmartPay refused this payment/refund".
                throw new JpmSmartPayException(
                    $"SmartPay's token endpoint answered {(int)response.StatusCode}{(code is null ? "" : " (" + code + ")")}: check the mode's ClientId and ClientSecret.",
                    response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.BadRequest ? HttpStatusCode.BadGateway : response.StatusCode,
                    new JpmSmartPayError(code, null));
            }
            var body = JpmJson.TryParse<TokenBody>(text);
            if (string.IsNullOrWhiteSpace(body?.Access_token))
            {
                throw new JpmSmartPayException("SmartPay's token endpoint answered without an access_token.", response.StatusCode);
            }
            var lifetime = TimeSpan.FromSeconds(body.Expires_in is > 0 ? body.Expires_in.Value : 300);
            var margin = lifetime / 2 < RenewBefore ? lifetime / 2 : RenewBefore;
            return new Entry(body.Access_token, clock.GetUtcNow() + lifetime - margin);
        }
    }

    private static string Key(JpmSmartPayModeOptions settings) => settings.TokenUri?.AbsoluteUri + "|" + settings.ClientId;

    private sealed record Entry(string Token, DateTimeOffset RenewAt);

    // OAuth's names, snake case (JsonSerializerDefaults.Web matches them without case, underscores kept).
    private sealed record TokenBody(string? Access_token, int? Expires_in, string? Token_type);
}
