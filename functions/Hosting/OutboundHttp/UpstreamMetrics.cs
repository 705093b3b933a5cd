using System.Diagnostics.Metrics;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// Meter <c>SnipcartGateway.Upstream</c>: how long Snipcart and each provider took (across the pipeline's retries,
/// as the caller waited) and how their calls failed, by upstream; and the providers left out of the
/// payment-methods answer because their calls were failing.
/// </summary>
public sealed class UpstreamMetrics : IDisposable
{
    public const string MeterName = "SnipcartGateway.Upstream";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _errors;
    private readonly Counter<long> _leftOut;

    public UpstreamMetrics(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _duration = Meter.CreateHistogram<double>("gateway.upstream.duration", "s",
            "Time a call to an upstream took, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _errors = Meter.CreateCounter<long>("gateway.upstream.errors", "{call}",
            "Calls to an upstream that ended without its answer (5xx/408/429, timeout, network error, circuit open).");
        _leftOut = Meter.CreateCounter<long>("gateway.providers.left_out", "{answer}",
            "Payment-methods answers that left a provider out because its calls were failing.");
    }

    public Meter Meter { get; }

    public void RecordCall(string upstream, UpstreamOutcomeKind outcome, TimeSpan elapsed)
    {
        var upstreamTag = new KeyValuePair<string, object?>("upstream", upstream);
        var error = UpstreamOutcome.ErrorType(outcome);
        _duration.Record(elapsed.TotalSeconds, upstreamTag, new KeyValuePair<string, object?>("error.type", error));
        if (error is not null && outcome != UpstreamOutcomeKind.Cancelled)
        {
            _errors.Add(1, upstreamTag, new KeyValuePair<string, object?>("error.type", error));
        }
    }

    public void RecordLeftOut(string provider) =>
        _leftOut.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void Dispose() => Meter.Dispose();
}
