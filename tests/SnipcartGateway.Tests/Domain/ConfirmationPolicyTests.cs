using SnipcartGateway.Domain;

namespace SnipcartGateway.Tests.Domain;

public sealed class ConfirmationPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AbandonAfter = TimeSpan.FromHours(24);

    private static PaymentAttempt Attempt(SnipcartPaymentState? confirmed = null, DateTimeOffset? created = null, DateTimeOffset? expires = null) => new()
    {
        PaymentRef = PaymentReferences.NewPaymentRef(),
        SessionId = "s1",
        ProviderId = "p",
        Mode = PaymentMode.Test,
        Amount = new Money(10m, "USD"),
        InvoiceJson = "{}",
        RefundKey = "k",
        CreatedAt = created ?? Now.AddMinutes(-5),
        ConfirmedState = confirmed,
        ExpiresAt = expires,
    };

    [Theory]
    [InlineData(FinishTrigger.ShopperReturn)]
    [InlineData(FinishTrigger.Notification)]
    [InlineData(FinishTrigger.Reconciliation)]
    public void Paid_is_confirmed_processed_whoever_asks(FinishTrigger trigger)
    {
        var decision = ConfirmationPolicy.Decide(Attempt(), PaymentStatus.Paid, trigger, Now, AbandonAfter);
        Assert.Equal(SnipcartPaymentState.Processed, decision.Send);
    }

    [Fact]
    public void Paid_after_processing_is_confirmed_processed()
    {
        var decision = ConfirmationPolicy.Decide(Attempt(SnipcartPaymentState.Processing), PaymentStatus.Paid, FinishTrigger.Notification, Now, AbandonAfter);
        Assert.Equal(SnipcartPaymentState.Processed, decision.Send);
    }

    [Theory]
    [InlineData(SnipcartPaymentState.Processed, PaymentStatus.Paid)]
    [InlineData(SnipcartPaymentState.Processed, PaymentStatus.Failed)]
    [InlineData(SnipcartPaymentState.Failed, PaymentStatus.Paid)]
    public void Nothing_more_is_said_after_a_final_state(SnipcartPaymentState confirmed, PaymentStatus status)
    {
        var decision = ConfirmationPolicy.Decide(Attempt(confirmed), status, FinishTrigger.ShopperReturn, Now, AbandonAfter);
        Assert.Null(decision.Send);
        Assert.False(decision.Abandon);
    }

    [Fact]
    public void A_decline_is_told_to_the_returning_shopper()
    {
        var decision = ConfirmationPolicy.Decide(Attempt(), PaymentStatus.Failed, FinishTrigger.ShopperReturn, Now, AbandonAfter);
        Assert.Equal(SnipcartPaymentState.Failed, decision.Send);
    }

    [Fact]
    public void A_decline_nobody_waits_for_is_not_told_but_closed_by_reconciliation()
    {
        Assert.Equal(ConfirmationDecision.Nothing, ConfirmationPolicy.Decide(Attempt(), PaymentStatus.Canceled, FinishTrigger.Notification, Now, AbandonAfter));
        var reconciled = ConfirmationPolicy.Decide(Attempt(), PaymentStatus.Canceled, FinishTrigger.Reconciliation, Now, AbandonAfter);
        Assert.Null(reconciled.Send);
        Assert.True(reconciled.Abandon);
    }

    [Fact]
    public void A_decline_after_processing_is_told_to_snipcart_which_awaits_a_final_word()
    {
        var decision = ConfirmationPolicy.Decide(Attempt(SnipcartPaymentState.Processing), PaymentStatus.Failed, FinishTrigger.Reconciliation, Now, AbandonAfter);
        Assert.Equal(SnipcartPaymentState.Failed, decision.Send);
    }

    [Fact]
    public void Pending_is_told_as_processing_once_and_only_to_the_returning_shopper()
    {
        Assert.Equal(SnipcartPaymentState.Processing, ConfirmationPolicy.Decide(Attempt(), PaymentStatus.Pending, FinishTrigger.ShopperReturn, Now, AbandonAfter).Send);
        Assert.Null(ConfirmationPolicy.Decide(Attempt(SnipcartPaymentState.Processing), PaymentStatus.Pending, FinishTrigger.ShopperReturn, Now, AbandonAfter).Send);
        Assert.Null(ConfirmationPolicy.Decide(Attempt(), PaymentStatus.Pending, FinishTrigger.Notification, Now, AbandonAfter).Send);
    }

    [Fact]
    public void Money_pending_at_the_provider_is_never_given_up_and_is_flagged_when_stale()
    {
        var old = Now - AbandonAfter - TimeSpan.FromMinutes(1);
        Assert.Equal(new ConfirmationDecision(null, false, ConfirmationPolicy.PendingTooLong), ConfirmationPolicy.Decide(Attempt(created: old), PaymentStatus.Pending, FinishTrigger.Reconciliation, Now, AbandonAfter));
        Assert.Equal(new ConfirmationDecision(null, false, ConfirmationPolicy.PendingTooLong), ConfirmationPolicy.Decide(Attempt(SnipcartPaymentState.Processing, old), PaymentStatus.Pending, FinishTrigger.Reconciliation, Now, AbandonAfter));
        Assert.Equal(ConfirmationDecision.Nothing, ConfirmationPolicy.Decide(Attempt(), PaymentStatus.Pending, FinishTrigger.Reconciliation, Now, AbandonAfter));
        Assert.Equal(ConfirmationDecision.Nothing, ConfirmationPolicy.Decide(Attempt(created: old), PaymentStatus.Pending, FinishTrigger.Notification, Now, AbandonAfter));
    }

    [Theory]
    [InlineData(FinishTrigger.ShopperReturn)]
    [InlineData(FinishTrigger.Notification)]
    [InlineData(FinishTrigger.Reconciliation)]
    public void A_payment_the_shopper_has_not_acted_on_is_never_told_processing(FinishTrigger trigger)
    {
        Assert.Null(ConfirmationPolicy.Decide(Attempt(), PaymentStatus.AwaitingShopper, trigger, Now, AbandonAfter).Send);
        Assert.False(ConfirmationPolicy.Decide(Attempt(), PaymentStatus.AwaitingShopper, trigger, Now, AbandonAfter).Abandon);
    }

    [Fact]
    public void A_payment_the_shopper_never_acted_on_is_given_up_when_stale_and_told_failed_if_it_was_told_processing()
    {
        var old = Now - AbandonAfter - TimeSpan.FromMinutes(1);
        Assert.Equal(new ConfirmationDecision(null, true), ConfirmationPolicy.Decide(Attempt(created: old), PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, Now, AbandonAfter));
        Assert.Equal(SnipcartPaymentState.Failed, ConfirmationPolicy.Decide(Attempt(SnipcartPaymentState.Processing, old), PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, Now, AbandonAfter).Send);
        Assert.Null(ConfirmationPolicy.Decide(Attempt(SnipcartPaymentState.Processing), PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, Now, AbandonAfter).Send);
    }

    public enum Told { Nothing, Processing }

    /// <summary>The whole decision (what Snipcart is told, whether the attempt is closed, the flag), row by row: each
    /// status for each trigger, and the ages either side of AbandonAfter (exactly AbandonAfter is not yet stale).</summary>
    [Theory]
    // Paid: told processed, never closed unconfirmed, never flagged.
    [InlineData(Told.Nothing, PaymentStatus.Paid, FinishTrigger.Reconciliation, 0, SnipcartPaymentState.Processed, false, null)]
    [InlineData(Told.Processing, PaymentStatus.Paid, FinishTrigger.Reconciliation, 25 * 60, SnipcartPaymentState.Processed, false, null)]
    // A decline: told to whoever waits; closed quietly only by reconciliation.
    [InlineData(Told.Nothing, PaymentStatus.Failed, FinishTrigger.ShopperReturn, 0, SnipcartPaymentState.Failed, false, null)]
    [InlineData(Told.Nothing, PaymentStatus.Canceled, FinishTrigger.ShopperReturn, 0, SnipcartPaymentState.Failed, false, null)]
    [InlineData(Told.Processing, PaymentStatus.Failed, FinishTrigger.Notification, 0, SnipcartPaymentState.Failed, false, null)]
    [InlineData(Told.Processing, PaymentStatus.Canceled, FinishTrigger.Reconciliation, 0, SnipcartPaymentState.Failed, false, null)]
    [InlineData(Told.Nothing, PaymentStatus.Failed, FinishTrigger.Notification, 0, null, false, null)]
    [InlineData(Told.Nothing, PaymentStatus.Failed, FinishTrigger.Reconciliation, 0, null, true, null)]
    // Nothing committed: given up by reconciliation only once past its expiry, told failed if it was told processing.
    [InlineData(Told.Nothing, PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, 24 * 60, null, false, null)]
    [InlineData(Told.Nothing, PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, 24 * 60 + 1, null, true, null)]
    [InlineData(Told.Nothing, PaymentStatus.AwaitingShopper, FinishTrigger.Notification, 25 * 60, null, false, null)]
    [InlineData(Told.Processing, PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, 24 * 60, null, false, null)]
    [InlineData(Told.Processing, PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, 24 * 60 + 1, SnipcartPaymentState.Failed, false, null)]
    [InlineData(Told.Processing, PaymentStatus.AwaitingShopper, FinishTrigger.ShopperReturn, 25 * 60, null, false, null)]
    // Money committed: never closed; flagged by reconciliation once older than AbandonAfter.
    [InlineData(Told.Nothing, PaymentStatus.Pending, FinishTrigger.ShopperReturn, 0, SnipcartPaymentState.Processing, false, null)]
    [InlineData(Told.Nothing, PaymentStatus.Pending, FinishTrigger.Reconciliation, 24 * 60, null, false, null)]
    [InlineData(Told.Nothing, PaymentStatus.Pending, FinishTrigger.Reconciliation, 24 * 60 + 1, null, false, ConfirmationPolicy.PendingTooLong)]
    [InlineData(Told.Processing, PaymentStatus.Pending, FinishTrigger.ShopperReturn, 25 * 60, null, false, null)]
    public void Decides_what_snipcart_is_told_whether_the_attempt_closes_and_what_is_flagged(
        Told told, PaymentStatus status, FinishTrigger trigger, int ageMinutes,
        SnipcartPaymentState? send, bool abandon, string? flag)
    {
        var attempt = Attempt(told == Told.Processing ? SnipcartPaymentState.Processing : null, Now.AddMinutes(-ageMinutes));

        var decision = ConfirmationPolicy.Decide(attempt, status, trigger, Now, AbandonAfter);

        Assert.Equal(new ConfirmationDecision(send, abandon, flag), decision);
    }

    [Fact]
    public void A_payment_the_shopper_never_acted_on_expires_at_its_own_expiry_when_it_has_one()
    {
        var expired = Attempt(created: Now.AddMinutes(-5), expires: Now.AddMinutes(-1));
        var expiringNow = Attempt(created: Now.AddMinutes(-5), expires: Now);

        Assert.True(ConfirmationPolicy.Decide(expired, PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, Now, AbandonAfter).Abandon);
        Assert.False(ConfirmationPolicy.Decide(expiringNow, PaymentStatus.AwaitingShopper, FinishTrigger.Reconciliation, Now, AbandonAfter).Abandon);
    }
}
