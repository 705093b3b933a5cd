namespace SnipcartGateway.Domain.Lifecycle;

/// <summary>When an attempt is looked at next, and when looking stops being worth it.</summary>
public static class Rhythm
{
    /// <summary>
    /// The provider's own rhythm for a payment it says is pending (J.P. Morgan: three checks within three minutes):
    /// the next check is set by its list; once the list is used up, <paramref name="exhausted"/> is true once (the
    /// caller logs it) and reconciliation goes on at its own pace. The attempt is changed in place.
    /// </summary>
    public static void SchedulePendingCheck(PaymentAttempt attempt, PaymentStatus status, IReadOnlyList<TimeSpan> checks, DateTimeOffset now, out bool exhausted)
    {
        exhausted = false;
        if (status != PaymentStatus.Pending || checks.Count == 0)
        {
            return;
        }
        if (attempt.PendingChecks < checks.Count)
        {
            attempt.NextCheckAt = now + checks[attempt.PendingChecks];
            attempt.PendingChecks++;
        }
        else if (attempt.PendingChecks == checks.Count)
        {
            attempt.PendingChecks++;
            exhausted = true;
        }
    }

    /// <summary>What a failure to tell Snipcart leaves on the attempt once failures reach the cap: a person must look
    /// (Snipcart may refuse this session for good). A paid order is never given up: reconciliation keeps trying at its
    /// slowest pace, and any trigger can still confirm it. True when the caller should log it now (once for a paid
    /// order, every time for the rest).</summary>
    public static bool AfterSnipcartFailed(PaymentAttempt attempt, SnipcartPaymentState state, int maxFailures)
    {
        if (attempt.ConfirmationFailures < maxFailures)
        {
            return false;
        }
        var paid = state == SnipcartPaymentState.Processed;
        attempt.NeedsAttention = true;
        attempt.Abandoned = !paid;
        return !paid || attempt.ConfirmationFailures == maxFailures;
    }
}
