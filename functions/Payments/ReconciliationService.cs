using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;

namespace SnipcartGateway.Payments;

public sealed record ReconciliationReport(int Examined, int Confirmed, int Closed, int StillOpen, int Failed)
{
    public IReadOnlyList<string> ToLogLines() =>
        [$"Reconciliation examined {Examined} unsettled payment(s): {Confirmed} confirmed to Snipcart, {Closed} closed, {StillOpen} still open, {Failed} failed."];
}

/// <summary>
/// Finishes what nobody finished: attempts left pending or processing, and attempts paid at the provider but
/// not confirmed to Snipcart (the process died in between, Snipcart was down). Each goes through the same
/// <see cref="PaymentFinisher"/> as a shopper's return, so it is confirmed exactly once however many run.
/// </summary>
public sealed class ReconciliationService(
    IPaymentStore store,
    PaymentFinisher finisher,
    TimeProvider time,
    IOptions<PaymentsOptions> options,
    ILogger<ReconciliationService> logger)
{
    private const int Parallelism = 4;

    /// <summary>Under the 5-minute schedule, so runs do not pile up. What is not reached waits for the next run.</summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(4);

    public async Task<ReconciliationReport> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var settings = options.Value;
        // Every unsettled row, not the first N: fresh attempts (a busy store's Pay clicks) must not hide old ones.
        var due = new List<UnsettledEntry>();
        await foreach (var entry in store.ListUnsettledAsync(cancellationToken))
        {
            due.Add(entry);
        }

        int confirmed = 0, closed = 0, open = 0, failed = 0, examined = 0;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(Budget);
        try
        {
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = budget.Token }, async (entry, ct) =>
            {
                Interlocked.Increment(ref examined);
                try
                {
                    var outcome = await ReconcileOneAsync(entry, now, settings, ct);
                    switch (outcome)
                    {
                        case FinishOutcome.Confirmed: Interlocked.Increment(ref confirmed); break;
                        case FinishOutcome.Closed or FinishOutcome.NotFound: Interlocked.Increment(ref closed); break;
                        default: Interlocked.Increment(ref open); break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failed);
                    logger.LogError(ex, "Reconciling {PaymentRef} failed", entry.PaymentRef);
                }
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Reconciliation stopped after {Budget}: {Left} unsettled payment(s) left for the next run", Budget, due.Count - examined);
        }

        var report = new ReconciliationReport(examined, confirmed, closed, open + (due.Count - examined), failed);
        logger.LogInformation("{Report}", report.ToLogLines()[0]);
        return report;
    }

    private async Task<FinishOutcome> ReconcileOneAsync(UnsettledEntry entry, DateTimeOffset now, PaymentsOptions settings, CancellationToken cancellationToken)
    {
        var read = await store.GetAttemptAsync(entry.PaymentRef, cancellationToken);
        if (read is null)
        {
            // Listed, then the process died before the attempt was written. Young rows may still be mid-write.
            if (now - entry.ListedAt > settings.ReconcileAfter)
            {
                await store.ForgetUnsettledAsync(entry.PaymentRef, cancellationToken);
            }
            return FinishOutcome.NotFound;
        }
        var attempt = read.Value;
        var fresh = now - attempt.UpdatedAt < settings.ReconcileAfter;
        if (fresh || attempt.HasLiveClaim(now))
        {
            // The shopper is probably still at the provider, or someone is telling Snipcart right now.
            return FinishOutcome.Waiting;
        }
        var result = await finisher.FinishAsync(entry.PaymentRef, FinishTrigger.Reconciliation, cancellationToken: cancellationToken);
        return result.Outcome;
    }
}
