using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Api;

/// <summary>
/// The timer that finishes payments nobody finished: every five minutes unless <c>Reconcile__Schedule</c> says
/// otherwise (<see cref="ReconcileSchedule"/> puts the setting into the function's metadata at start-up, so the
/// setting is optional). A throw marks the run failed in the host's log; the next run starts over.
/// </summary>
public sealed partial class ReconciliationFunction(ReconciliationService reconciliation, ILogger<ReconciliationFunction> logger)
{
    public const string Name = "Reconcile";

    [Function(Name)]
    public async Task Run([TimerTrigger(ReconcileSchedule.Default)] TimerInfo timer, CancellationToken cancellationToken)
    {
        try
        {
            // The service logs its own report line.
            await reconciliation.RunAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogFailed(logger, exception);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciliation failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
