using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// Flagging an attempt for a person and giving back a refund's reservation: each a conditional write that keeps the
/// first reason, writes nothing when nothing changes, and is retried when another process wrote first; a flag raised
/// is counted once for the merchant's alerts.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AttentionFlaggerTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private AttentionFlagger Flagger => _h.Services.GetRequiredService<AttentionFlagger>();

    /// <summary>A paid attempt rewritten to <paramref name="flagged"/> and <paramref name="code"/>; its version after.</summary>
    private async Task<(string PaymentRef, string Version)> AttemptAsync(bool flagged, string? code, Action<PaymentAttempt>? also = null)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var read = (await _h.Store.GetAttemptAsync(attempt.PaymentRef))!;
        read.Value.NeedsAttention = flagged;
        read.Value.FailureCode = code;
        also?.Invoke(read.Value);
        var version = await _h.Store.UpdateAttemptAsync(read.Value, read.Version);
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        return (attempt.PaymentRef, version);
    }

    private MetricCollector<long> AttentionCounted() =>
        new(_h.Services.GetRequiredService<PaymentMetrics>().Meter, "payments.attention");

    private async Task<string> VersionOfAsync(string paymentRef) => (await _h.Store.GetAttemptAsync(paymentRef))!.Version;

    [Theory]
    [InlineData(false, null, "refund_pending_too_long")]
    [InlineData(true, null, "refund_pending_too_long")]
    [InlineData(false, "payment_mismatch", "payment_mismatch")]
    public async Task A_flag_is_raised_with_the_reason_unless_the_attempt_already_has_one(bool flagged, string? code, string expectedCode)
    {
        var (paymentRef, _) = await AttemptAsync(flagged, code);
        var before = _h.Clock.GetUtcNow();
        using var counted = AttentionCounted();

        Assert.True(await Flagger.FlagAsync(paymentRef, "refund_pending_too_long", CancellationToken.None));

        var after = await _h.AttemptAsync(paymentRef);
        Assert.Equal((true, expectedCode), (after.NeedsAttention, after.FailureCode));
        Assert.InRange(after.UpdatedAt, before, _h.Clock.GetUtcNow());
        // Counted when the flag goes up, for the reason it goes up now; a flag already up is not counted again.
        var measured = counted.GetMeasurementSnapshot().Select(m => (m.Tags["reason"], m.Tags["provider"], m.Value));
        Assert.Equal(flagged ? [] : [("refund_pending_too_long", "sandboxpay", 1L)], measured);
    }

    [Fact]
    public async Task An_attempt_already_flagged_with_a_reason_is_not_written_again()
    {
        var (paymentRef, version) = await AttemptAsync(true, "duplicate_payment");
        using var counted = AttentionCounted();

        Assert.True(await Flagger.FlagAsync(paymentRef, "refund_pending_too_long", CancellationToken.None));

        Assert.Equal(version, await VersionOfAsync(paymentRef));
        Assert.Empty(counted.GetMeasurementSnapshot());
        Assert.Equal("duplicate_payment", (await _h.AttemptAsync(paymentRef)).FailureCode);
    }

    [Fact]
    public async Task A_flag_that_loses_a_race_is_retried_raised_and_counted_once()
    {
        var (paymentRef, _) = await AttemptAsync(false, null);
        _store.ConflictOnce(a => a.PaymentRef == paymentRef);
        using var counted = AttentionCounted();

        Assert.True(await Flagger.FlagAsync(paymentRef, "refund_pending_too_long", CancellationToken.None));

        Assert.Equal(1, _store.Conflicts);
        Assert.Single(counted.GetMeasurementSnapshot());
        var after = await _h.AttemptAsync(paymentRef);
        Assert.Equal((true, "refund_pending_too_long"), (after.NeedsAttention, after.FailureCode));
    }

    [Fact]
    public async Task An_attempt_that_does_not_exist_is_neither_flagged_nor_created()
    {
        var missing = PaymentReferences.NewPaymentRef();
        using var counted = AttentionCounted();

        Assert.False(await Flagger.FlagAsync(missing, "refund_pending_too_long", CancellationToken.None));
        Assert.False(await Flagger.ReleaseAsync(missing, Refund(missing, "r1", 1m), CancellationToken.None));
        Assert.Null(await _h.Store.GetAttemptAsync(missing));
        Assert.Empty(counted.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task A_reservation_is_given_back_once_and_only_by_the_attempt_that_reserved_it()
    {
        var (paymentRef, _) = await AttemptAsync(false, null, a =>
        {
            a.RefundedAmount = 30m;
            a.ReservedRefundIds.Add("reserved");
        });

        var before = _h.Clock.GetUtcNow();
        Assert.True(await Flagger.ReleaseAsync(paymentRef, Refund(paymentRef, "reserved", 10m), CancellationToken.None));
        var released = await _h.AttemptAsync(paymentRef);
        Assert.Equal(20m, released.RefundedAmount);
        Assert.InRange(released.UpdatedAt, before, _h.Clock.GetUtcNow());
        var version = await VersionOfAsync(paymentRef);

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await Flagger.ReleaseAsync(paymentRef, Refund(paymentRef, "reserved", 10m), CancellationToken.None));
        Assert.True(await Flagger.ReleaseAsync(paymentRef, Refund(paymentRef, "lost-the-race", 10m), CancellationToken.None));

        Assert.Equal(version, await VersionOfAsync(paymentRef));
        Assert.Equal(20m, (await _h.AttemptAsync(paymentRef)).RefundedAmount);
    }

    private RefundRecord Refund(string paymentRef, string refundId, decimal amount) => new()
    {
        PaymentRef = paymentRef,
        RefundId = refundId,
        Amount = new Money(amount, "USD"),
        RequestedAt = _h.Clock.GetUtcNow(),
    };
}
