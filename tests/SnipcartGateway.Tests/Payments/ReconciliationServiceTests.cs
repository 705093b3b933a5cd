using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>Issue 9, items 10 and 15: reconciliation is fair, bounded, and keeps its index clean.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReconciliationServiceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string HangingPrefix = "sp_hang_";

    private PaymentCoreHarness _h = null!;
    private HookedProvider _provider = null!;
    private readonly CapturedLogs _logs = new();

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite, s =>
            {
                PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p));
                s.AddSingleton<ILoggerProvider>(_logs);
            },
            new Dictionary<string, string?>
            {
                ["Payments:ReconcileBudget"] = "00:00:05",
                ["Payments:ReconcileAttemptTimeout"] = "00:00:01",
                ["Payments:MaxReconcileFailures"] = "3",
            });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    /// <summary>Lets <paramref name="after"/> pass, then runs reconciliation; as many times as asked.</summary>
    private async Task RunLaterAsync(TimeSpan after, int runs = 1)
    {
        for (var run = 0; run < runs; run++)
        {
            _h.Clock.Advance(after);
            await _h.Reconciliation.RunAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Money_pending_at_the_provider_for_a_day_is_not_dropped_silently()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending); // money committed, no shopper return
        await RunLaterAsync(TimeSpan.FromHours(25));

        var flagged = await _h.AttemptAsync(paymentRef);
        Assert.False(flagged.Abandoned);
        Assert.True(flagged.NeedsAttention);
        Assert.Equal(ConfirmationPolicy.PendingTooLong, flagged.FailureCode);
        Assert.Contains(paymentRef, await UnsettledAsync());

        // Still pending at the next checks: still open, flagged once.
        await RunLaterAsync(TimeSpan.FromHours(2));
        Assert.Equal(ConfirmationPolicy.PendingTooLong, (await _h.AttemptAsync(paymentRef)).FailureCode);
        Assert.Single(_logs.Errors, e => e.Contains(paymentRef) && e.Contains("still pending"));

        // It settles and its notification is lost: reconciliation finds it.
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await RunLaterAsync(TimeSpan.FromHours(2));

        Assert.True((await _h.AttemptAsync(paymentRef)).IsProcessed);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
        Assert.DoesNotContain(paymentRef, await UnsettledAsync());
    }

    [Fact]
    public async Task A_paid_attempt_snipcart_cannot_be_told_is_flagged_but_never_given_up()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        // Snipcart refuses for longer than MaxReconcileFailures (3) checks.
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 400, times: 4);

        await RunLaterAsync(TimeSpan.FromHours(2), runs: 4);
        var waiting = await _h.AttemptAsync(paymentRef);
        Assert.True(waiting.NeedsAttention);
        Assert.False(waiting.IsSettled);
        Assert.Contains(paymentRef, await UnsettledAsync());
        Assert.Single(_logs.Errors, e => e.Contains(paymentRef) && e.Contains("still trying"));
        Assert.Empty(_h.StatesToldFor(session.Id));

        // Snipcart answers again: confirmed, once.
        await RunLaterAsync(TimeSpan.FromHours(2), runs: 2);

        Assert.True((await _h.AttemptAsync(paymentRef)).IsProcessed);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
    }

    [Fact]
    public async Task Money_pending_whose_provider_stops_answering_is_flagged_but_never_given_up()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);
        await RunLaterAsync(TimeSpan.FromMinutes(10)); // the provider says pending

        // Then it stops answering for longer than MaxReconcileFailures (3) checks.
        _provider.BeforeGet = (_, ct) => Task.Delay(Timeout.Infinite, ct);
        await RunLaterAsync(TimeSpan.FromHours(2), runs: 4);
        var waiting = await _h.AttemptAsync(paymentRef);
        Assert.True(waiting.NeedsAttention);
        Assert.False(waiting.IsSettled);
        Assert.Single(_logs.Errors, e => e.Contains(paymentRef) && e.Contains("still trying"));

        // It answers again, paid: confirmed.
        _provider.BeforeGet = null;
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await RunLaterAsync(TimeSpan.FromHours(2));

        Assert.True((await _h.AttemptAsync(paymentRef)).IsProcessed);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
    }

    /// <summary>Lookups of these payments hang until the caller gives up.</summary>
    private void HangOnLookups() =>
        _provider.BeforeGet = async (lookup, ct) =>
        {
            if (lookup.ProviderPaymentId.StartsWith(HangingPrefix, StringComparison.Ordinal))
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
        };

    /// <summary>An old attempt whose reference sorts before any real one, so key order puts it first.</summary>
    private async Task<string> AddHangingAttemptAsync(int index)
    {
        var created = _h.Clock.GetUtcNow() - TimeSpan.FromHours(1);
        var paymentRef = "pay_0000000000000000000000" + index.ToString("0000");
        await _h.Store.AddAttemptAsync(new PaymentAttempt
        {
            PaymentRef = paymentRef,
            SessionId = "hanging-session-" + index,
            ProviderId = "sandboxpay",
            Mode = PaymentMode.Test,
            Amount = new Money(10m, "USD"),
            InvoiceJson = "{}",
            RefundKey = PaymentReferences.NewRefundKey(),
            CreatedAt = created,
            UpdatedAt = created,
            ProviderPaymentId = HangingPrefix + index,
        });
        return paymentRef;
    }

    private async Task<List<string>> UnsettledAsync()
    {
        var list = new List<string>();
        await foreach (var entry in _h.Store.ListUnsettledAsync())
        {
            list.Add(entry.PaymentRef);
        }
        return list;
    }

    [Fact]
    public async Task A_settled_attempts_stale_unsettled_row_is_removed()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        Assert.DoesNotContain(attempt.PaymentRef, await UnsettledAsync());
        // A crash between the attempt's settling write and the delete of its row leaves the row behind.
        await _h.Store.MarkUnsettledAsync(attempt.PaymentRef);

        await RunLaterAsync(TimeSpan.FromMinutes(10));

        Assert.DoesNotContain(attempt.PaymentRef, await UnsettledAsync());
        var second = await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(0, second.Examined);
    }

    [Fact]
    public async Task Attempts_whose_checks_hang_do_not_hide_the_rest()
    {
        HangOnLookups();
        for (var i = 0; i < 8; i++)
        {
            await AddHangingAttemptAsync(i);
        }
        // A payment the shopper paid while nobody watched, behind eight hanging ones in key order.
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));

        await _h.Reconciliation.RunAsync(CancellationToken.None);
        await RunLaterAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }

    [Fact]
    public async Task An_attempt_whose_checks_keep_timing_out_is_given_up_and_flagged()
    {
        HangOnLookups();
        var paymentRef = await AddHangingAttemptAsync(1);

        // Each run after the attempt's backoff is over.
        await RunLaterAsync(TimeSpan.FromHours(2), runs: 3);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.True(attempt.NeedsAttention);
        Assert.True(attempt.IsSettled);
        Assert.DoesNotContain(paymentRef, await UnsettledAsync());
    }

    [Fact]
    public async Task Checks_that_get_no_answer_are_pushed_back_and_the_backlog_is_measured()
    {
        HangOnLookups();
        await AddHangingAttemptAsync(1);
        await AddHangingAttemptAsync(2);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));

        var first = await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(2, first.Due);
        Assert.Equal(2, first.Failed);

        // Backed off: a run a minute later does not wait on them again.
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(2, second.Unsettled);
        Assert.Equal(0, second.Due);

        var metrics = _h.Services.GetRequiredService<PaymentMetrics>();
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == metrics.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.Equal(PaymentMetrics.MeterName, metrics.Meter.Name);
        Assert.Equal(2, seen["payments.reconciliation.unsettled"]);
        Assert.Equal(0, seen["payments.reconciliation.due"]);
    }
}
