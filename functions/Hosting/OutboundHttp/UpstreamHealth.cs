using System.Collections.Concurrent;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// Whether an upstream's calls are failing right now, from the outcomes <see cref="UpstreamTelemetryHandler"/>
/// records (per instance of the app). The payment-methods webhook leaves a failing provider out until it recovers:
/// offering it would send the shopper to a page that cannot start the payment. The rule is
/// <see cref="UpstreamHealthRule"/>.
/// </summary>
public sealed class UpstreamHealth(TimeProvider time, ILogger<UpstreamHealth> logger)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Record(string upstream, UpstreamOutcomeKind outcome)
    {
        if (outcome == UpstreamOutcomeKind.Cancelled)
        {
            return;
        }
        var entry = _entries.GetOrAdd(upstream, static _ => new Entry());
        if (!UpstreamOutcome.IsFailure(outcome))
        {
            // The hot path (every answered call) takes no lock: a profile under load showed the lock contended.
            if (Volatile.Read(ref entry.ConsecutiveFailures) != 0
                && Interlocked.Exchange(ref entry.ConsecutiveFailures, 0) >= UpstreamHealthRule.FailuresToLeaveOut)
            {
                logger.LogInformation("{Upstream} answered again: offered in the payment methods", upstream);
            }
            return;
        }
        var now = time.GetUtcNow();
        Interlocked.Exchange(ref entry.LastFailureTicks, now.UtcTicks);
        if (Interlocked.Increment(ref entry.ConsecutiveFailures) == UpstreamHealthRule.FailuresToLeaveOut)
        {
            logger.LogWarning("{Upstream} failed {Failures} calls in a row: left out of the payment methods until a call succeeds (tried again after {Cooldown} s)",
                upstream, UpstreamHealthRule.FailuresToLeaveOut, UpstreamHealthRule.Cooldown.TotalSeconds);
        }
    }

    /// <summary>True when the upstream's recent calls failed and it has not had its time to recover yet.</summary>
    public bool IsLeftOut(string upstream)
    {
        if (!_entries.TryGetValue(upstream, out var entry))
        {
            return false;
        }
        var failures = Volatile.Read(ref entry.ConsecutiveFailures);
        var lastTicks = Interlocked.Read(ref entry.LastFailureTicks);
        DateTimeOffset? last = lastTicks == 0 ? null : new DateTimeOffset(lastTicks, TimeSpan.Zero);
        return UpstreamHealthRule.IsLeftOut(failures, last, time.GetUtcNow());
    }

    private sealed class Entry
    {
        public int ConsecutiveFailures;
        public long LastFailureTicks;
    }
}

/// <summary>
/// The rule, as a pure function: an upstream is left out after <see cref="FailuresToLeaveOut"/> failed calls in a
/// row (timeouts, 5xx, network errors, calls the breaker refused), for <see cref="Cooldown"/> after the last one;
/// then it is offered again, and the first shopper's call decides (one success clears it, one more failure leaves it
/// out for another cooldown). A single flaky call never hides a provider; a provider that is down is not offered
/// to every shopper until the breaker of each instance has learned it.
/// </summary>
public static class UpstreamHealthRule
{
    public const int FailuresToLeaveOut = 5;

    public static readonly TimeSpan Cooldown = TimeSpan.FromSeconds(30);

    public static bool IsLeftOut(int consecutiveFailures, DateTimeOffset? lastFailureAt, DateTimeOffset now) =>
        consecutiveFailures >= FailuresToLeaveOut && lastFailureAt is { } last && now - last < Cooldown;
}
