namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// How a client tells <see cref="RetryPolicy"/> that a write is safe to repeat. Send an
/// <see cref="IdempotencyKeyHeader"/> header when the API takes one; call <see cref="MarkIdempotent"/> when the
/// API deduplicates some other way (a modification id in the body, a PUT of a full resource).
/// </summary>
public static class OutboundRequest
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly HttpRequestOptionsKey<bool> Idempotent = new("SnipcartGateway.OutboundHttp.Idempotent");

    /// <summary>Marks the request as deduplicated by the remote API, so a transient failure may be retried.</summary>
    public static HttpRequestMessage MarkIdempotent(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(Idempotent, true);
        return request;
    }

    public static bool IsMarkedIdempotent(HttpRequestMessage request) =>
        request.Options.TryGetValue(Idempotent, out var idempotent) && idempotent;
}
