using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

public sealed class RefundFollowUpPolicyTests
{
    [Theory]
    // state, due, provider looks refunds up, provider configured → step
    [InlineData(RefundState.Succeeded, false, true, true, RefundFollowUpStep.Forget)]
    [InlineData(RefundState.Succeeded, true, false, false, RefundFollowUpStep.Forget)]
    [InlineData(RefundState.Failed, false, true, true, RefundFollowUpStep.ReleaseAndForget)]
    [InlineData(RefundState.ManualRefundRequired, true, true, true, RefundFollowUpStep.AwaitMerchant)]
    [InlineData(RefundState.ManualRefundRequired, false, false, false, RefundFollowUpStep.AwaitMerchant)]
    [InlineData(RefundState.Pending, false, true, true, RefundFollowUpStep.Wait)]
    [InlineData(RefundState.Pending, true, true, false, RefundFollowUpStep.Wait)]
    [InlineData(RefundState.Pending, true, true, true, RefundFollowUpStep.LookUp)]
    [InlineData(RefundState.Pending, true, false, true, RefundFollowUpStep.Repeat)]
    [InlineData(RefundState.Requested, true, true, true, RefundFollowUpStep.Repeat)]
    [InlineData(RefundState.Requested, true, false, true, RefundFollowUpStep.Repeat)]
    [InlineData(RefundState.Requested, false, true, true, RefundFollowUpStep.Wait)]
    public void Decides_the_next_step_of_an_open_refund(RefundState state, bool due, bool looksUp, bool providerKnown, RefundFollowUpStep expected) =>
        Assert.Equal(expected, RefundFollowUpPolicy.Decide(state, due, looksUp, providerKnown));

    [Theory]
    // A give-back still under way is asked by the payment's lifecycle; once final, this list takes it off as any refund.
    [InlineData(RefundState.Requested, RefundFollowUpStep.Wait)]
    [InlineData(RefundState.Pending, RefundFollowUpStep.Wait)]
    [InlineData(RefundState.Succeeded, RefundFollowUpStep.Forget)]
    [InlineData(RefundState.Failed, RefundFollowUpStep.ReleaseAndForget)]
    [InlineData(RefundState.ManualRefundRequired, RefundFollowUpStep.AwaitMerchant)]
    public void Leaves_a_give_back_under_way_to_the_payments_lifecycle(RefundState state, RefundFollowUpStep expected) =>
        Assert.Equal(expected, RefundFollowUpPolicy.Decide(state, due: true, providerLooksUp: true, providerKnown: true, givingBack: true));

    [Theory]
    // state, provider looks refunds up → step once the provider may have forgotten the refund's idempotency key
    // Never answered: a repeat would be a second refund.
    [InlineData(RefundState.Requested, true, RefundFollowUpStep.HandOver)]
    [InlineData(RefundState.Requested, false, RefundFollowUpStep.HandOver)]
    [InlineData(RefundState.Pending, false, RefundFollowUpStep.HandOver)]
    // Accepted and looked up: a lookup is safe at any age.
    [InlineData(RefundState.Pending, true, RefundFollowUpStep.LookUp)]
    // Final or by hand: as before.
    [InlineData(RefundState.Succeeded, true, RefundFollowUpStep.Forget)]
    [InlineData(RefundState.Failed, true, RefundFollowUpStep.ReleaseAndForget)]
    [InlineData(RefundState.ManualRefundRequired, true, RefundFollowUpStep.AwaitMerchant)]
    public void Never_repeats_a_refund_whose_key_the_provider_may_have_forgotten(RefundState state, bool looksUp, RefundFollowUpStep expected) =>
        Assert.Equal(expected, RefundFollowUpPolicy.Decide(state, due: true, providerLooksUp: looksUp, providerKnown: true, keyMayHaveExpired: true));

    [Fact]
    public void A_refund_not_due_waits_even_past_the_key_lifetime() =>
        Assert.Equal(RefundFollowUpStep.Wait, RefundFollowUpPolicy.Decide(RefundState.Requested, due: false, providerLooksUp: false, providerKnown: true, keyMayHaveExpired: true));

    [Theory]
    // minutes since first sent, key lifetime in minutes (null: kept as long as the payment) → may have expired
    [InlineData(0, 360, false)]
    [InlineData(329, 360, false)]
    [InlineData(330, 360, true)]
    [InlineData(400, 360, true)]
    [InlineData(100000, null, false)]
    public void A_key_may_have_expired_from_its_lifetime_less_the_margin(int minutesAgo, int? lifetimeMinutes, bool expired)
    {
        var sent = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        var lifetime = lifetimeMinutes is { } m ? TimeSpan.FromMinutes(m) : (TimeSpan?)null;
        Assert.Equal(expired, RefundFollowUpPolicy.KeyMayHaveExpired(sent, sent.AddMinutes(minutesAgo), lifetime));
    }

    [Theory]
    // state, reserved on its payment, a give-back, minutes since it was asked for → dropped (never sent)
    [InlineData(RefundState.Requested, false, false, 3, true)]
    [InlineData(RefundState.ManualRefundRequired, false, false, 3, true)]
    // The request that recorded it may still be reserving it.
    [InlineData(RefundState.Requested, false, false, 1, false)]
    [InlineData(RefundState.Requested, false, false, 2, false)]
    // Reserved: a refund like any other.
    [InlineData(RefundState.Requested, true, false, 3, false)]
    [InlineData(RefundState.ManualRefundRequired, true, false, 3, false)]
    // A give-back's next pass decides the same id again.
    [InlineData(RefundState.Requested, false, true, 3, false)]
    // Pending or final: the provider has it, or it is over.
    [InlineData(RefundState.Pending, false, false, 3, false)]
    [InlineData(RefundState.Succeeded, false, false, 3, false)]
    [InlineData(RefundState.Failed, false, false, 3, false)]
    public void A_refund_never_reserved_on_its_payment_is_dropped_never_sent(RefundState state, bool reserved, bool giveBack, int minutesAgo, bool dropped) =>
        Assert.Equal(dropped, RefundFollowUpPolicy.NeverReserved(state, reserved, giveBack, TimeSpan.FromMinutes(minutesAgo), TimeSpan.FromMinutes(2)));

    [Theory]
    [InlineData(1, 2, 60, 2)]
    [InlineData(2, 2, 60, 4)]
    [InlineData(4, 2, 60, 16)]
    [InlineData(6, 2, 60, 60)]
    [InlineData(40, 2, 60, 60)]
    [InlineData(3, 0, 60, 0)]
    public void Backs_off_exponentially_up_to_the_cap(int checks, int baseMinutes, int maxMinutes, int expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), RefundFollowUpPolicy.Backoff(checks, TimeSpan.FromMinutes(baseMinutes), TimeSpan.FromMinutes(maxMinutes)));

    [Theory]
    [InlineData(19, 20, false)]
    [InlineData(20, 20, true)]
    [InlineData(25, 20, true)]
    public void Flags_once_the_checks_reach_the_cap(int checks, int max, bool flagged) =>
        Assert.Equal(flagged, RefundFollowUpPolicy.ShouldFlag(checks, max));

    [Fact]
    public void A_refund_never_checked_is_first_due_after_the_first_check_delay()
    {
        var requested = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var refund = new RefundRecord { PaymentRef = "pay_x", RefundId = "r", Amount = new Money(1m, "USD"), RequestedAt = requested };
        Assert.Equal(requested.AddMinutes(2), RefundFollowUpPolicy.DueAt(refund, TimeSpan.FromMinutes(2)));
        refund.NextCheckAt = requested.AddHours(1);
        Assert.Equal(requested.AddHours(1), RefundFollowUpPolicy.DueAt(refund, TimeSpan.FromMinutes(2)));
    }
}
