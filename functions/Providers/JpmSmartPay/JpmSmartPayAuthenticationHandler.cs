using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Providers.JpmSmartPay;

/// <summary>
/// The authentication step of SmartPay's HTTP pipeline (as the Azure SDK's BearerTokenAuthenticationPolicy is one
/// policy of its pipeline): sits inside the resilience handler, so each attempt carries a valid header. Basic
/// <c>base64(merchantKey:authenticationKey)</c>, or an OAuth Bearer token from <see cref="JpmSmartPayTokenSource"/>;
/// when SmartPay answers 401 to a Bearer token, the token is dropped, a new one fetched once and the call sent once
/// more. The mode whose credentials to use travels on the request (<see cref="ModeKey"/>).
/// </summary>
public sealed class JpmSmartPayAuthenticationHandler(IOptionsMonitor<JpmSmartPayOptions> options, JpmSmartPayTokenSource tokens) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<PaymentMode> ModeKey = new("SnipcartGateway.JpmSmartPay.Mode");

    /// <summary>One renewal per call, across the resilience pipeline's retries too (each retry passes through this
    /// handler again, with the request's options copied, so the same budget object).</summary>
    public static readonly HttpRequestOptionsKey<RenewalBudget> RenewalKey = new("SnipcartGateway.JpmSmartPay.Renewal");

    public sealed class RenewalBudget
    {
        private int _renewals;

        /// <summary>True the first time only.</summary>
        public bool TryTake() => Interlocked.Increment(ref _renewals) == 1;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(ModeKey, out var mode))
        {
            throw new InvalidOperationException("A SmartPay request must say which mode's credentials it uses.");
        }
        var settings = options.CurrentValue.For(mode);
        if (!settings.UsesOAuth)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicCredentials(settings));
            return await base.SendAsync(request, cancellationToken);
        }

        var token = await tokens.GetAsync(settings, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        if (request.Options.TryGetValue(RenewalKey, out var budget) && !budget.TryTake())
        {
            // This call already renewed its token once (before a retried 5xx or timeout): a 401 now is SmartPay's answer.
            return response;
        }
        // The token was revoked or expired early: one new token, one more try. A second 401 is SmartPay's answer.
        response.Dispose();
        tokens.Invalidate(settings, token);
        var renewed = await tokens.GetAsync(settings, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, cancellationToken);
    }

    internal static string BasicCredentials(JpmSmartPayModeOptions settings) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.MerchantKey}:{settings.AuthenticationKey}"));
}
