using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;
using SnipcartGateway.Support;

namespace SnipcartGateway.Api;

/// <summary>
/// The timer that finishes payments nobody finished: every five minutes unless <c>Reconcile__Schedule</c> says
/// otherwise (<see cref="ReconcileSchedule"/> puts the setting into the function's metadata at start-up, so the
/// setting is optional). After the payments, the same run follows open refunds to the end
/// (<see cref="RefundFollowUpService"/>), then deletes one bounded batch of payments past retention
/// (<see cref="RetentionService"/>). A throw marks the run failed in the host's log; the next run starts over.
/// </summary>
public sealed partial class ReconciliationFunction(
    ReconciliationService reconciliation,
    RefundFollowUpService refundFollowUp,
    RetentionService retention,
    ILogger<ReconciliationFunction> logger)
{
    public const string Name = "Reconcile";

    [Function(Name)]
    public async Task Run([TimerTrigger(ReconcileSchedule.Default)] TimerInfo timer, CancellationToken cancellationToken)
    {
        // Each step runs even when an earlier one failed (a broken payment must not stall refunds); the run is
        // marked failed afterwards. The services log their own report lines.
        var failures = new List<Exception>();
        await RunStepAsync(() => reconciliation.RunAsync(cancellationToken), failures);
        await RunStepAsync(() => refundFollowUp.RunAsync(cancellationToken), failures);
        await RunStepAsync(() => retention.RunAsync(cancellationToken), failures);
        if (failures.Count > 0)
        {
            throw failures.Count == 1 ? failures[0] : new AggregateException(failures);
        }
    }

    private async Task RunStepAsync(Func<Task> step, List<Exception> failures)
    {
        try
        {
            await step();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(logger, exception);
            failures.Add(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
