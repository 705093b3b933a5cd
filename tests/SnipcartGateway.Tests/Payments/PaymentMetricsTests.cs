using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Tests.Payments;

/// <summary>The payment metrics a merchant alerts on: their names, units and tags, and what each gauge reports.</summary>
public sealed class PaymentMetricsTests
{
    [Fact]
    public void A_confirmation_is_counted_by_provider_state_and_code_with_no_code_as_empty()
    {
        using var metrics = new PaymentMetrics();
        using var confirmations = new MetricCollector<long>(metrics.Meter, "payments.confirmations");

        metrics.RecordConfirmation("smartpay", "failed", "payment_mismatch");
        metrics.RecordConfirmation("sandboxpay", "processed");

        var seen = confirmations.GetMeasurementSnapshot();
        Assert.Equal(2, seen.Count);
        Assert.Equal(("smartpay", "failed", "payment_mismatch", 1L), Tags(seen[0]));
        Assert.Equal(("sandboxpay", "processed", "", 1L), Tags(seen[1]));
        Assert.Equal("{confirmation}", confirmations.Instrument!.Unit);
        Assert.False(string.IsNullOrEmpty(confirmations.Instrument.Description));

        static (object?, object?, object?, long) Tags(CollectedMeasurement<long> m) =>
            (m.Tags["provider"], m.Tags["state"], m.Tags["code"], m.Value);
    }

    [Fact]
    public void An_attempt_flagged_for_a_person_is_counted_by_reason_and_provider()
    {
        using var metrics = new PaymentMetrics();
        using var attention = new MetricCollector<long>(metrics.Meter, "payments.attention");

        metrics.RecordAttention("paid_twice", "snapplify");

        var seen = Assert.Single(attention.GetMeasurementSnapshot());
        Assert.Equal(("paid_twice", "snapplify", 1L), (seen.Tags["reason"], seen.Tags["provider"], seen.Value));
        Assert.Equal(2, seen.Tags.Count);
        Assert.Equal("{attempt}", attention.Instrument!.Unit);
        Assert.False(string.IsNullOrEmpty(attention.Instrument.Description));
    }

    [Fact]
    public void The_backlog_gauges_report_the_last_run()
    {
        using var metrics = new PaymentMetrics();
        using var unsettled = new MetricCollector<long>(metrics.Meter, "payments.reconciliation.unsettled");
        using var due = new MetricCollector<long>(metrics.Meter, "payments.reconciliation.due");
        using var left = new MetricCollector<long>(metrics.Meter, "payments.reconciliation.left");

        metrics.RecordBacklog(12, 5, 2);
        metrics.RecordBacklog(7, 3, 1);
        foreach (var gauge in new[] { unsettled, due, left })
        {
            gauge.RecordObservableInstruments();
        }

        Assert.Equal((7L, 3L, 1L), (unsettled.LastMeasurement!.Value, due.LastMeasurement!.Value, left.LastMeasurement!.Value));
        foreach (var gauge in new[] { unsettled, due, left })
        {
            Assert.Equal("{attempt}", gauge.Instrument!.Unit);
            Assert.False(string.IsNullOrEmpty(gauge.Instrument.Description));
        }
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData(-30.0, 0)]
    [InlineData(0.0, 0)]
    [InlineData(0.4, 0)]
    [InlineData(90.6, 91)]
    [InlineData(86_400.0, 86_400)]
    public void The_oldest_unsettled_age_is_whole_seconds_and_zero_when_none_is_unsettled(double? seconds, double reported)
    {
        using var metrics = new PaymentMetrics();
        using var oldest = new MetricCollector<double>(metrics.Meter, "payments.unsettled.oldest_age");
        metrics.RecordOldestUnsettled(TimeSpan.FromHours(1));

        metrics.RecordOldestUnsettled(seconds is { } s ? TimeSpan.FromSeconds(s) : null);
        oldest.RecordObservableInstruments();

        Assert.Equal(reported, oldest.LastMeasurement!.Value);
        Assert.Equal("s", oldest.Instrument!.Unit);
        Assert.False(string.IsNullOrEmpty(oldest.Instrument.Description));
    }

    [Fact]
    public void The_meter_comes_from_the_hosts_factory_when_there_is_one()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();

        using var metrics = new PaymentMetrics(factory);
        using var own = new PaymentMetrics();

        Assert.Equal((PaymentMetrics.MeterName, PaymentMetrics.MeterName), (metrics.Meter.Name, own.Meter.Name));
        Assert.Same(factory.Create(PaymentMetrics.MeterName), metrics.Meter);
    }
}
