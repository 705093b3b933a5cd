using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// The one place that says which outbound calls may be sent again after a transient failure (5xx, 408, 429,
/// a network error, a timed-out attempt). A call is repeated only when repeating it cannot do the thing twice:
/// reads (GET, HEAD), and writes the remote API deduplicates: those carrying an <c>Idempotency-Key</c> header
/// or marked with <see cref="OutboundRequest.MarkIdempotent"/> (e.g. an API keyed by a modification id).
/// Everything else, Snipcart's <c>POST /payment</c> included, is sent exactly once. Repeatable calls also get the
/// client's shorter attempt timeout (<see cref="GatewayResilienceSettings.RetryableAttemptTimeout"/>).
/// </summary>
public static class RetryPolicy
{
    public static bool IsSafeToRetry(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Method == HttpMethod.Get
            || request.Method == HttpMethod.Head
            || request.Headers.Contains(OutboundRequest.IdempotencyKeyHeader)
            || OutboundRequest.IsMarkedIdempotent(request);
    }

    /// <summary>Whether this outcome of this request is sent again (while retries are left).</summary>
    public static bool ShouldRetry(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome) =>
        request is not null && IsSafeToRetry(request) && HttpClientResiliencePredicates.IsTransient(outcome);

    /// <summary>The attempt timeout of this request under these settings.</summary>
    public static TimeSpan AttemptTimeout(HttpRequestMessage? request, GatewayResilienceSettings settings) =>
        settings.RetryableAttemptTimeout is { } retryable && request is not null && IsSafeToRetry(request)
            ? retryable
            : settings.AttemptTimeout;
}
