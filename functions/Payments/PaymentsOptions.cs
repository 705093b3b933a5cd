namespace SnipcartGateway.Payments;

/// <summary>Timings of the payment flow (section <c>Payments</c>); the defaults suit Snipcart and the providers.</summary>
public sealed class PaymentsOptions
{
    /// <summary>How long a claim to tell Snipcart lasts. Far longer than a Snipcart call can take (15 s timeout),
    /// so a live claim is never taken over; a dead process's claim is taken over by reconciliation after it.</summary>
    public TimeSpan ConfirmationLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a shopper's return waits for another request that is telling Snipcart right now.</summary>
    public TimeSpan WaitForConfirmation { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconciliation leaves fresh attempts alone: the shopper is probably still at the provider.</summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>An attempt with no money committed after this is given up (nothing was confirmed, nothing is
    /// owed); one whose money is still pending at the provider is flagged instead and kept open.</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The same refund amount for the same payment within this window is a retry, not a new refund.</summary>
    public TimeSpan RefundRetryWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After this many refusals of a confirmation the attempt is flagged; a "failed" is given up, a paid
    /// one is kept and retried at the slowest pace.</summary>
    public int MaxConfirmationFailures { get; set; } = 20;

    /// <summary>How long one reconciliation run may take: under the one-minute schedule, so runs do not pile up.
    /// What is not reached waits for the next run (oldest due first).</summary>
    public TimeSpan ReconcileBudget { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>How long reconciliation gives one attempt (provider lookup and Snipcart call together) before it
    /// moves on: one hung attempt must not hold a worker for the whole run.</summary>
    public TimeSpan ReconcileAttemptTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>After a check that got no answer (timeout, provider or Snipcart unreachable) the next one waits
    /// ReconcileAfter × 2^(failures−1), at most this long.</summary>
    public TimeSpan ReconcileMaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Checks in a row that got no answer before reconciliation gives the attempt up and flags it
    /// (NeedsAttention): about 16 hours with the default backoff. A paid attempt, or one the provider said is pending, is flagged but never given up.</summary>
    public int MaxReconcileFailures { get; set; } = 20;

    /// <summary>How long the timer's refund follow-up may take per run (after reconciliation's own budget).</summary>
    public TimeSpan RefundFollowUpBudget { get; set; } = TimeSpan.FromSeconds(20);
}
