using System.Diagnostics.Metrics;

namespace SnipcartGateway.Payments;

/// <summary>
/// The payment core's metrics (Meter <c>SnipcartGateway.Payments</c>): how big the reconciliation backlog was at
/// the last run, so a backlog that grows (a provider down, attempts that keep timing out) shows before anyone
/// complains. Exported by whatever OpenTelemetry/Application Insights the host wires to the meter name.
/// </summary>
public sealed class PaymentMetrics : IDisposable
{
    public const string MeterName = "SnipcartGateway.Payments";

    private long _unsettled;
    private long _due;
    private long _left;

    public PaymentMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Meter.CreateObservableGauge("payments.reconciliation.unsettled", () => Interlocked.Read(ref _unsettled), "{attempt}",
            "Attempts listed as unsettled at the last reconciliation run.");
        Meter.CreateObservableGauge("payments.reconciliation.due", () => Interlocked.Read(ref _due), "{attempt}",
            "Unsettled attempts that were due for a check at the last run.");
        Meter.CreateObservableGauge("payments.reconciliation.left", () => Interlocked.Read(ref _left), "{attempt}",
            "Due attempts the last run did not reach within its budget.");
    }

    public Meter Meter { get; }

    public void RecordBacklog(int unsettled, int due, int left)
    {
        Interlocked.Exchange(ref _unsettled, unsettled);
        Interlocked.Exchange(ref _due, due);
        Interlocked.Exchange(ref _left, left);
    }

    public void Dispose() => Meter.Dispose();
}
