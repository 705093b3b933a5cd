using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Payments;

public sealed record ReconciliationReport(int Examined, int Confirmed, int Closed, int StillOpen, int Failed)
{
    /// <summary>Attempts listed as unsettled when the run started, including rows found stale and removed.</summary>
    public int Unsettled { get; init; }

    /// <summary>Attempts that were due for a check.</summary>
    public int Due { get; init; }

    /// <summary>Due attempts the run did not reach within its budget.</summary>
    public int Left { get; init; }

    public IReadOnlyList<string> ToLogLines() =>
        [$"Reconciliation examined {Examined} unsettled payment(s): {Confirmed} confirmed to Snipcart, {Closed} closed, {StillOpen} still open, {Failed} failed. Backlog: {Unsettled} unsettled, {Due} due, {Left} not reached."];
}

/// <summary>
/// Finishes what nobody finished: attempts left pending or processing, and attempts paid at the provider but
/// not confirmed to Snipcart (the process died in between, Snipcart was down). Each goes through the same
/// <see cref="PaymentFinisher"/> as a shopper's return, so it is confirmed exactly once however many run.
/// Fair: the attempts due longest are checked first, each within its own timeout, and one that keeps getting no
/// answer is checked less and less often, then given up and flagged (a paid one is flagged and kept), so a backlog
/// of slow attempts cannot hide the rest.
/// </summary>
public sealed class ReconciliationService(
    IPaymentStore store,
    PaymentFinisher finisher,
    TimeProvider time,
    IOptions<PaymentsOptions> options,
    PaymentMetrics metrics,
    ILogger<ReconciliationService> logger)
{
    private const int Parallelism = 4;

    public async Task<ReconciliationReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(settings.ReconcileBudget);

        // Every unsettled row, not the first N: fresh attempts (a busy store's Pay clicks) must not hide old ones.
        var listed = new List<UnsettledEntry>();
        await foreach (var entry in store.ListUnsettledAsync(cancellationToken))
        {
            listed.Add(entry);
        }

        int confirmed = 0, closed = 0, open = 0, failed = 0, examined = 0;
        var due = new List<(string PaymentRef, DateTimeOffset DueAt)>();
        try
        {
            // First only read: which attempts are due, and since when. Cheap reads, so the expensive checks
            // below can go in order of need rather than in key order.
            await Parallel.ForEachAsync(listed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism * 2, CancellationToken = budget.Token }, async (entry, ct) =>
            {
                var dueAt = await TriageAsync(entry, now, settings, ct);
                switch (dueAt)
                {
                    case null:
                        break;
                    case { } at when at == DateTimeOffset.MinValue:
                        Interlocked.Increment(ref closed);
                        break;
                    case { } at:
                        lock (due)
                        {
                            due.Add((entry.PaymentRef, at));
                        }
                        break;
                }
            });
            due.Sort((a, b) => a.DueAt.CompareTo(b.DueAt));

            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = budget.Token }, async (item, ct) =>
            {
                Interlocked.Increment(ref examined);
                var outcome = await CheckAsync(item.PaymentRef, settings, ct);
                switch (outcome)
                {
                    case FinishOutcome.Confirmed: Interlocked.Increment(ref confirmed); break;
                    case FinishOutcome.Closed or FinishOutcome.NotFound: Interlocked.Increment(ref closed); break;
                    case null: Interlocked.Increment(ref failed); break;
                    default: Interlocked.Increment(ref open); break;
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Reconciliation stopped after {Budget}: {Left} due payment(s) left for the next run", settings.ReconcileBudget, due.Count - examined);
        }

        var left = Math.Max(0, due.Count - examined);
        var report = new ReconciliationReport(examined, confirmed, closed, open + left, failed)
        {
            Unsettled = listed.Count,
            Due = due.Count,
            Left = left,
        };
        metrics.RecordBacklog(listed.Count, due.Count, left);
        metrics.RecordOldestUnsettled(listed.Count == 0 ? null : now - listed.Min(e => e.ListedAt));
        logger.LogInformation("{Report}", report.ToLogLines()[0]);
        return report;
    }

    /// <summary>When the attempt became due; null when it is not due (or vanished meanwhile);
    /// <see cref="DateTimeOffset.MinValue"/> when its row was stale and is gone.</summary>
    private async Task<DateTimeOffset?> TriageAsync(UnsettledEntry entry, DateTimeOffset now, PaymentsOptions settings, CancellationToken cancellationToken)
    {
        var read = await store.GetAttemptAsync(entry.PaymentRef, cancellationToken);
        if (read is null)
        {
            // Listed, then the process died before the attempt was written. Young rows may still be mid-write.
            if (now - entry.ListedAt > settings.ReconcileAfter)
            {
                await store.ForgetUnsettledAsync(entry.PaymentRef, cancellationToken);
                return DateTimeOffset.MinValue;
            }
            return null;
        }
        var attempt = read.Value;
        if (attempt.IsSettled)
        {
            // Settled, but its row survived (a crash between the attempt's write and the row's delete). Writing
            // the attempt back, unchanged and conditional on its version, removes the row as any settling write
            // does, and fails harmlessly if someone re-opened the attempt meanwhile (a late payment).
            try
            {
                await store.UpdateAttemptAsync(attempt, read.Version, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                return null;
            }
            return DateTimeOffset.MinValue;
        }
        var dueAt = DueAt(attempt, settings);
        // Fresh: the shopper is probably still at the provider, unless a check was scheduled on purpose (the
        // provider's own rhythm, or an expiry). A live claim: someone is telling Snipcart now.
        var fresh = now - attempt.UpdatedAt < settings.ReconcileAfter && attempt.NextCheckAt is null;
        return dueAt > now || fresh || attempt.HasLiveClaim(now) ? null : dueAt;
    }

    /// <summary>The attempt's own schedule, or, before its first check, ReconcileAfter after it was created.</summary>
    public static DateTimeOffset DueAt(PaymentAttempt attempt, PaymentsOptions settings) =>
        attempt.NextCheckAt ?? attempt.CreatedAt + settings.ReconcileAfter;

    /// <summary>One check, within its own timeout; then the next one is scheduled. Null when it failed.</summary>
    private async Task<FinishOutcome?> CheckAsync(string paymentRef, PaymentsOptions settings, CancellationToken runToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        timeout.CancelAfter(settings.ReconcileAttemptTimeout);
        FinishOutcome? outcome;
        try
        {
            outcome = (await finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation, cancellationToken: timeout.Token)).Outcome;
        }
        catch (OperationCanceledException) when (!runToken.IsCancellationRequested)
        {
            logger.LogWarning("Reconciling {PaymentRef} took longer than {Timeout}: moving on", paymentRef, settings.ReconcileAttemptTimeout);
            outcome = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Reconciling {PaymentRef} failed", paymentRef);
            outcome = null;
        }
        // Scheduling is bookkeeping for the next run: not cut short by this run's budget.
        await ScheduleNextCheckAsync(paymentRef, answered: outcome is not (null or FinishOutcome.Unreachable or FinishOutcome.Busy), settings, CancellationToken.None);
        return outcome;
    }

    /// <summary>Pushes an attempt that is still open back in the queue (<see cref="Rhythm.ScheduleNextCheck"/>).</summary>
    private async Task ScheduleNextCheckAsync(string paymentRef, bool answered, PaymentsOptions settings, CancellationToken cancellationToken)
    {
        for (var tries = 0; tries < 3; tries++)
        {
            var read = await store.GetAttemptAsync(paymentRef, cancellationToken);
            if (read is null || read.Value.IsSettled)
            {
                return;
            }
            var attempt = read.Value;
            var rules = new CheckRules(settings.ReconcileAfter, settings.AbandonAfter, settings.ReconcileMaxBackoff, settings.MaxReconcileFailures);
            switch (Rhythm.ScheduleNextCheck(attempt, answered, time.GetUtcNow(), rules))
            {
                case CheckScheduled.FlaggedStillTrying:
                    metrics.RecordAttention(attempt.FailureCode ?? FlagCodes.ReconcileNoAnswer, attempt.ProviderId);
                    logger.LogError("Payment {PaymentRef} is {Status} and still not settled after {Checks} checks without an answer: still trying, a person must look", paymentRef, attempt.Status, attempt.ReconcileChecks);
                    break;
                case CheckScheduled.GivenUp:
                    metrics.RecordAttention(attempt.FailureCode ?? FlagCodes.ReconcileGaveUp, attempt.ProviderId);
                    logger.LogError("Reconciliation gave up {PaymentRef} after {Checks} checks without an answer: a person must look", paymentRef, attempt.ReconcileChecks);
                    break;
            }
            try
            {
                // UpdatedAt is left alone: it tells whether the shopper or a worker touched the attempt lately.
                await store.UpdateAttemptAsync(attempt, read.Version, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
            }
        }
    }
}
