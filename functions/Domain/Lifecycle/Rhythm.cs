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
    /// (Snipcart may refuse this session for good). An order with money at stake (paid, authorised, or pending at the
    /// provider: a "processing" that could not be told may still become "paid") is never given up: reconciliation
    /// keeps trying at its slowest pace, and any trigger can still confirm it. True when the caller should log it now
    /// (once for money at stake, every time for the rest).</summary>
    public static bool AfterSnipcartFailed(PaymentAttempt attempt, SnipcartPaymentState state, int maxFailures)
    {
        if (attempt.ConfirmationFailures < maxFailures)
        {
            return false;
        }
        var keep = state == SnipcartPaymentState.Processed || MoneyAtStake(attempt);
        attempt.NeedsAttention = true;
        attempt.Abandoned = !keep;
        return !keep || attempt.ConfirmationFailures == maxFailures;
    }

    /// <summary>The provider has, or may still take, the shopper's money: paid, authorised, pending with a status the
    /// provider gave (money committed, not a payment nobody opened), or being given back.</summary>
    public static bool MoneyAtStake(PaymentAttempt attempt) =>
        attempt.Status is PaymentStatus.Paid or PaymentStatus.Authorized
        || attempt.Status == PaymentStatus.Pending && attempt.ProviderStatus is not null
        // Money the gateway is giving back (a payment that failed verification is stored Failed): never given up.
        || attempt.IsGivingBack;

    /// <summary>What the timer's check of an open attempt leaves for the next one. Answered: ReconcileAfter (hourly
    /// once the attempt is older than AbandonAfter), unless the provider's rhythm or the checkout's expiry comes sooner.
    /// Unanswered: exponentially later; after MaxReconcileFailures unanswered checks in a row a person must look, and
    /// an attempt with no money at stake is given up. Paid, or money the provider said is pending (ProviderStatus: it
    /// answered once), is never given up, or Snipcart back tomorrow or a late "paid" would never be heard: flagged
    /// once, then tried at the slowest pace. The attempt is changed in place.</summary>
    public static CheckScheduled ScheduleNextCheck(PaymentAttempt attempt, bool answered, DateTimeOffset now, CheckRules rules)
    {
        attempt.ReconcileChecks = answered ? 0 : attempt.ReconcileChecks + 1;
        if (attempt.ReconcileChecks >= rules.MaxFailures && MoneyAtStake(attempt))
        {
            attempt.NeedsAttention = true;
            attempt.FailureCode ??= attempt.Status == PaymentStatus.Paid ? FlagCodes.ConfirmationOverdue : FlagCodes.ReconcileNoAnswer;
            attempt.NextCheckAt = now + rules.MaxBackoff;
            return attempt.ReconcileChecks == rules.MaxFailures ? CheckScheduled.FlaggedStillTrying : CheckScheduled.Later;
        }
        if (attempt.ReconcileChecks >= rules.MaxFailures)
        {
            attempt.NeedsAttention = true;
            attempt.Abandoned = true;
            attempt.FailureCode ??= FlagCodes.ReconcileGaveUp;
            return CheckScheduled.GivenUp;
        }
        var wait = answered
            ? (now - attempt.CreatedAt > rules.AbandonAfter ? rules.MaxBackoff : rules.ReconcileAfter)
            : TimeSpan.FromTicks(Math.Min(rules.MaxBackoff.Ticks, rules.ReconcileAfter.Ticks * (1L << Math.Min(attempt.ReconcileChecks - 1, 20))));
        var next = now + wait;
        if (answered && attempt.NextCheckAt is { } sooner && sooner > now && sooner < next)
        {
            next = sooner;
        }
        if (answered && attempt.GiveBackState == GiveBackState.Pending && attempt.NextCheckAt is { } backoff && backoff > next)
        {
            // A give-back the provider accepted as pending keeps its own backoff (GiveBackService), as any refund.
            next = backoff;
        }
        if (PaymentLifecycle.ExpiresAt(attempt, rules.AbandonAfter) is var expiry && expiry > now && expiry < next)
        {
            // The expiry is checked when it comes, so an unpaid checkout is closed (and voided) on time.
            next = expiry;
        }
        attempt.NextCheckAt = next;
        return CheckScheduled.Later;
    }
}

public sealed record CheckRules(TimeSpan ReconcileAfter, TimeSpan AbandonAfter, TimeSpan MaxBackoff, int MaxFailures);

public enum CheckScheduled
{
    /// <summary>Looked at again at <see cref="PaymentAttempt.NextCheckAt"/>.</summary>
    Later,
    /// <summary>Money at stake and no answer MaxFailures times: flagged, still tried at the slowest pace.</summary>
    FlaggedStillTrying,
    /// <summary>No money at stake and no answer MaxFailures times: given up and flagged.</summary>
    GivenUp,
}
