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
    /// A shorter bound for the attempts of calls that may be repeated (<see cref="RetryPolicy.IsSafeToRetry"/>): a
    /// hung read is cut early and sent again, while a write that is sent once keeps the whole
    /// <see cref="AttemptTimeout"/> (cutting it short only makes its outcome unknown). Null: the same for all.
    /// </summary>
    public TimeSpan? RetryableAttemptTimeout { get; init; }

    /// <summary>
    /// Share of failed attempts over <see cref="CircuitSamplingDuration"/> that opens the breaker. The standard
    /// pipeline's 10 % opens on partial faults (one call in five failing) and then refuses every call, the healthy
    /// ones too; 75 % keeps it for outages, while partial faults are left to the retries.
    /// </summary>
    public double CircuitFailureRatio { get; init; } = 0.75;

    /// <summary>Attempts within the sampling window before the breaker may open (the standard 100 never opens on a
    /// quiet shop's outage).</summary>
    public int CircuitMinimumThroughput { get; init; } = 20;

    /// <summary>The longest attempt this pipeline allows.</summary>
    public TimeSpan LongestAttempt =>
        RetryableAttemptTimeout is { } retryable && retryable > AttemptTimeout ? retryable : AttemptTimeout;

    /// <summary>
    /// The cap over all attempts: every attempt timing out plus the backoff (Δ·(2^(n+1)), about twice the
    /// nominal Δ·(2^n − 1), room for jitter) plus a second. Only a cap: the attempts normally end it first.
    /// </summary>
    public TimeSpan TotalTimeout =>
        LongestAttempt * (Retries + 1) + RetryDelay * Math.Pow(2, Retries + 1) + TimeSpan.FromSeconds(1);

    /// <summary>
    /// The circuit breaker samples failures over at least twice the attempt timeout (the standard options'
    /// validator demands it), and never less than the standard 30 s.
    /// </summary>
    public TimeSpan CircuitSamplingDuration =>
        LongestAttempt * 2 > TimeSpan.FromSeconds(30) ? LongestAttempt * 2 : TimeSpan.FromSeconds(30);
}
