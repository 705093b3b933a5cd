using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>A give-back a person made (or dropped) by hand, recorded on its attempt.</summary>
public sealed class GiveBackSettledByHandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private const string Ref = "pay_0123456789abcdefghij";

    private static PaymentAttempt ByHand(string reason, bool flagged = true)
    {
        var attempt = new PaymentAttempt
        {
            PaymentRef = Ref,
            SessionId = "s",
            ProviderId = "snapplify",
            Mode = PaymentMode.Test,
            Amount = new Money(10m, "ZAR"),
            InvoiceJson = "{}",
            RefundKey = "k",
            CreatedAt = Now.AddHours(-1),
        };
        GiveBacks.Decide(attempt, reason, Now.AddMinutes(-30));
        attempt.GiveBackState = GiveBackState.ByHand;
        attempt.NeedsAttention = flagged;
        attempt.FailureCode = FlagCodes.RefundByHand;
        return attempt;
    }

    [Theory]
    // reason, outcome → give-back state after, flag after, failure code after
    [InlineData(FlagCodes.DuplicatePayment, ManualRefundOutcome.Done, GiveBackState.Done, false, FlagCodes.DuplicatePayment)]
    [InlineData(FlagCodes.PaymentMismatch, ManualRefundOutcome.Done, GiveBackState.Done, false, FlagCodes.PaymentMismatch)]
    [InlineData(FlagCodes.DuplicatePayment, ManualRefundOutcome.Dropped, GiveBackState.ByHand, false, FlagCodes.DuplicatePayment)]
    [InlineData(FlagCodes.PaymentMismatch, ManualRefundOutcome.Dropped, GiveBackState.ByHand, false, FlagCodes.PaymentMismatch)]
    public void Records_the_person_s_answer_and_lowers_the_refund_by_hand_flag(string reason, ManualRefundOutcome outcome, GiveBackState state, bool flagged, string code)
    {
        var attempt = ByHand(reason);

        Assert.True(GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), outcome, Now));

        Assert.Equal((state, flagged, code, Now), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode, attempt.UpdatedAt));
        // The money stays reserved when given back; a dropped refund's amount is freed by the refund's own release.
        Assert.Equal(10m, attempt.RefundedAmount);
    }

    [Theory]
    [InlineData(ManualRefundOutcome.Done)]
    [InlineData(ManualRefundOutcome.Dropped)]
    public void A_second_settlement_changes_nothing(ManualRefundOutcome outcome)
    {
        var attempt = ByHand(FlagCodes.DuplicatePayment);
        GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), outcome, Now);

        Assert.False(GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), outcome, Now.AddMinutes(1)));
        Assert.Equal(Now, attempt.UpdatedAt);
    }

    [Fact]
    public void Done_is_recorded_even_when_a_person_already_lowered_the_flag()
    {
        var attempt = ByHand(FlagCodes.DuplicatePayment, flagged: false);

        Assert.True(GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), ManualRefundOutcome.Done, Now));
        Assert.Equal((GiveBackState.Done, false), (attempt.GiveBackState, attempt.NeedsAttention));
    }

    [Fact]
    public void Another_refund_of_the_payment_or_a_give_back_not_by_hand_is_not_this_rule_s()
    {
        var attempt = ByHand(FlagCodes.DuplicatePayment);
        Assert.False(GiveBacks.SettleByHand(attempt, "snipcart-refund-1", ManualRefundOutcome.Done, Now));

        attempt.GiveBackState = GiveBackState.Refused;
        Assert.False(GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), ManualRefundOutcome.Done, Now));
        Assert.Equal((GiveBackState.Refused, true, FlagCodes.RefundByHand), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode));
    }
}
