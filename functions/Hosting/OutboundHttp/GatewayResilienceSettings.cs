namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>The numbers of one outbound client's resilience pipeline; the rest is the standard pipeline's.</summary>
/// <param name="AttemptTimeout">Bound on each attempt (the remote side's slowest acceptable answer).</param>
public sealed record GatewayResilienceSettings(TimeSpan AttemptTimeout)
{
    /// <summary>Extra attempts after a transient failure, for calls <see cref="RetryPolicy"/> allows; 0 turns retries off.</summary>
    public int Retries { get; init; } = 2;

    /// <summary>Wait before the first retry; exponential with jitter after that. Zero in tests.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The cap over all attempts: every attempt timing out plus the backoff (Δ·(2^(n+1)), about twice the
    /// nominal Δ·(2^n − 1), room for jitter) plus a second. Only a cap: the attempts normally end it first.
    /// </summary>
    public TimeSpan TotalTimeout =>
        AttemptTimeout * (Retries + 1) + RetryDelay * Math.Pow(2, Retries + 1) + TimeSpan.FromSeconds(1);

    /// <summary>
    /// The circuit breaker samples failures over at least twice the attempt timeout (the standard options'
    /// validator demands it), and never less than the standard 30 s.
    /// </summary>
    public TimeSpan CircuitSamplingDuration =>
        AttemptTimeout * 2 > TimeSpan.FromSeconds(30) ? AttemptTimeout * 2 : TimeSpan.FromSeconds(30);
}
