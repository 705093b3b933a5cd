using System.Diagnostics.Metrics;

namespace SnipcartGateway.Payments;

/// <summary>
/// The payment core's metrics (Meter <c>SnipcartGateway.Payments</c>), the ones a merchant alerts on: what Snipcart
/// was told, by provider and failure code; attempts flagged for a person, by reason; the age of the oldest unsettled
/// attempt; and the reconciliation backlog at the last run, so a backlog that grows (a provider down, attempts that
/// keep timing out) shows before anyone complains. Exported when telemetry is on (README, "Telemetry").
/// Upstream latency and errors are on <c>SnipcartGateway.Upstream</c> (Hosting/OutboundHttp/UpstreamMetrics).
/// </summary>
public sealed class PaymentMetrics : IDisposable
{
    public const string MeterName = "SnipcartGateway.Payments";

    private readonly Counter<long> _confirmations;
    private readonly Counter<long> _attention;
    private long _unsettled;
    private long _due;
    private long _left;
    private double _oldestUnsettledSeconds;

    public PaymentMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Meter.CreateObservableGauge("payments.reconciliation.unsettled", () => Interlocked.Read(ref _unsettled), "{attempt}",
            "Attempts listed as unsettled at the last reconciliation run.");
        Meter.CreateObservableGauge("payments.reconciliation.due", () => Interlocked.Read(ref _due), "{attempt}",
            "Unsettled attempts that were due for a check at the last run.");
        Meter.CreateObservableGauge("payments.reconciliation.left", () => Interlocked.Read(ref _left), "{attempt}",
            "Due attempts the last run did not reach within its budget.");
        Meter.CreateObservableGauge("payments.unsettled.oldest_age", () => Volatile.Read(ref _oldestUnsettledSeconds), "s",
            "Age of the oldest unsettled attempt at the last reconciliation run (0 when none).");
        _confirmations = Meter.CreateCounter<long>("payments.confirmations", "{confirmation}",
            "States Snipcart accepted for a payment, by provider, state (processed, processing, failed) and failure code.");
        _attention = Meter.CreateCounter<long>("payments.attention", "{attempt}",
            "Attempts flagged as needing a person, by reason and provider.");
    }

    public Meter Meter { get; }

    public void RecordBacklog(int unsettled, int due, int left)
    {
        Interlocked.Exchange(ref _unsettled, unsettled);
        Interlocked.Exchange(ref _due, due);
        Interlocked.Exchange(ref _left, left);
    }

    /// <summary>At each reconciliation run: now minus the oldest unsettled entry's listing time; null when none is unsettled.</summary>
    public void RecordOldestUnsettled(TimeSpan? age) =>
        Volatile.Write(ref _oldestUnsettledSeconds, age is { } value && value > TimeSpan.Zero ? Math.Round(value.TotalSeconds) : 0);

    /// <summary>After Snipcart accepted a state for a payment (<c>processed</c>, <c>processing</c>, <c>failed</c>);
    /// <paramref name="failureCode"/> is the error code sent with <c>failed</c>.</summary>
    public void RecordConfirmation(string provider, string state, string? failureCode = null) =>
        _confirmations.Add(1,
            new KeyValuePair<string, object?>("provider", provider),
            new KeyValuePair<string, object?>("state", state),
            new KeyValuePair<string, object?>("code", failureCode ?? ""));

    /// <summary>When an attempt becomes NeedsAttention (once per flag raised, not per save), with its reason
    /// (<c>paid_twice</c>, <c>amount_mismatch</c>, <c>snipcart_refused</c>, ...).</summary>
    public void RecordAttention(string reason, string provider) =>
        _attention.Add(1,
            new KeyValuePair<string, object?>("reason", reason),
            new KeyValuePair<string, object?>("provider", provider));

    public void Dispose() => Meter.Dispose();
}
