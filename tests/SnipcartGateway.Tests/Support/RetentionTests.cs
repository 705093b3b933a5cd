using Azure.Data.Tables;
using SnipcartGateway.Domain;
using SnipcartGateway.Storage.Payments;
using SnipcartGateway.Storage.Support;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Support;

/// <summary>Retention through the Reconcile timer under the Functions host: old payments go in bounded batches with their
/// refunds, sessions and index rows; nothing unsettled, flagged or with a refund still open is ever deleted.</summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class RetentionTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    [Theory]
    // created days ago, settled, flagged, refund state (null: none) → may be deleted with Retention__Days=30
    [InlineData(40, true, false, null, true)]
    [InlineData(40, true, false, RefundState.Succeeded, true)]
    [InlineData(40, true, false, RefundState.Failed, true)]
    [InlineData(20, true, false, null, false)]
    [InlineData(40, false, false, null, false)]
    [InlineData(40, true, true, null, false)]
    [InlineData(40, true, false, RefundState.Pending, false)]
    [InlineData(40, true, false, RefundState.Requested, false)]
    [InlineData(40, true, false, RefundState.ManualRefundRequired, false)]
    public void The_rule_keeps_anything_recent_unsettled_flagged_or_with_an_open_refund(int daysOld, bool settled, bool flagged, RefundState? refund, bool deletable)
    {
        var now = DateTimeOffset.UtcNow;
        var attempt = Planted.Attempt(now.AddDays(-daysOld), settled);
        attempt.NeedsAttention = flagged;
        var refunds = refund is { } state
            ? new[] { new RefundRecord { PaymentRef = attempt.PaymentRef, RefundId = "r", Amount = new Money(1m, "USD"), RequestedAt = now, State = state } }
            : [];
        Assert.Equal(deletable, RetentionSweeper.MayDelete(attempt, refunds, now.AddDays(-30)));
    }

    [Fact]
    public async Task Old_payments_are_deleted_a_bounded_batch_per_run_and_nothing_needing_attention_or_unsettled_goes()
    {
        // Reconciliation leaves the planted attempts alone (it would close the unsettled one, which has no provider payment).
        await using var desk = await SupportDesk.OpenAsync(_h, ("Retention:Days", "30"), ("Retention:BatchSize", "3"), ("Payments:ReconcileAfter", "100.00:00:00"));
        var old = DateTimeOffset.UtcNow.AddDays(-40);
        var deletable = new List<PaymentAttempt>();
        var kept = new List<PaymentAttempt>();
        await using (var services = desk.Services())
        {
            var store = services.Get<IPaymentStore>();
            var index = services.Get<PaymentLookupIndex>();
            for (var i = 0; i < 5; i++)
            {
                var attempt = Planted.Attempt(old, settled: true);
                await Planted.AddAsync(store, attempt);
                await index.IndexAsync(attempt, CancellationToken.None);
                await store.AddRefundAsync(new RefundRecord { PaymentRef = attempt.PaymentRef, RefundId = Guid.NewGuid().ToString(), Amount = new Money(1m, "USD"), RequestedAt = old, State = RefundState.Succeeded });
                deletable.Add(attempt);
            }
            var flagged = Planted.Attempt(old, settled: true);
            flagged.NeedsAttention = true;
            flagged.FailureCode = "duplicate_payment";
            var unsettled = Planted.Attempt(old, settled: false);
            var refundOpen = Planted.Attempt(old, settled: true);
            var recent = Planted.Attempt(DateTimeOffset.UtcNow.AddDays(-5), settled: true);
            foreach (var attempt in new[] { flagged, refundOpen, recent })
            {
                await Planted.AddAsync(store, attempt);
            }
            await store.AddAttemptAsync(unsettled);
            await store.AddRefundAsync(new RefundRecord { PaymentRef = refundOpen.PaymentRef, RefundId = Guid.NewGuid().ToString(), Amount = new Money(1m, "USD"), RequestedAt = old, State = RefundState.Pending });
            kept.AddRange([flagged, unsettled, refundOpen, recent]);
        }

        var counts = new List<int>();
        for (var run = 0; run < 4; run++)
        {
            var before = desk.Gateway.Host.Lines.Count;
            Assert.True(await desk.Gateway.RunReconcileAsync(), desk.Gateway.Output);
            var line = await desk.Gateway.Host.WaitForLineAsync("Retention deleted", TimeSpan.FromSeconds(15), before);
            counts.Add(int.Parse(line[(line.IndexOf("Retention deleted ", StringComparison.Ordinal) + 18)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.All(counts, c => Assert.InRange(c, 0, 3));
        Assert.Equal(5, counts.Sum());

        await using var after = desk.Services();
        var remaining = after.Get<IPaymentStore>();
        var tables = after.Get<PaymentTables>();
        foreach (var attempt in deletable)
        {
            Assert.Null(await remaining.GetAttemptAsync(attempt.PaymentRef));
            Assert.Empty(await remaining.ListRefundsAsync(attempt.PaymentRef));
            Assert.False((await tables.Sessions.GetEntityIfExistsAsync<TableEntity>(StorageKeys.ForExternalId(attempt.SessionId), "session")).HasValue);
            Assert.Empty(await after.Get<PaymentLookupIndex>().FindAsync(PaymentLookupIndex.Session, attempt.SessionId, CancellationToken.None));
        }
        foreach (var attempt in kept)
        {
            Assert.NotNull(await remaining.GetAttemptAsync(attempt.PaymentRef));
        }
        Assert.Single(await remaining.ListRefundsAsync(kept[2].PaymentRef));
    }
}
