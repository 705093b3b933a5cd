using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Tests.Domain.Lifecycle.LifecycleAttempts;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>The give-back's one refund id, deciding a give-back once, and the guards of settling one by hand.</summary>
public sealed class GiveBacksTests
{
    [Fact]
    public void The_give_back_refund_id_is_the_payment_reference_behind_gb_()
    {
        Assert.Equal("gb_" + Ref, GiveBacks.RefundIdFor(Ref));
    }

    [Theory]
    [InlineData("gb_" + Ref, true)]
    [InlineData("gb_pay_abcdefghijklmnopqrstuvwxyz", true)]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("gb_", false)]
    [InlineData(Ref, false)] // the payment's own reference is no refund id
    [InlineData("GB_" + Ref, false)]
    [InlineData("xgb_" + Ref, false)]
    [InlineData("gb_" + Ref + "0", false)]
    [InlineData("gb_pay_ABCDEFGHIJKLMNOPQRSTUVWXYZ", false)]
    [InlineData("refund-1", false)]
    public void Only_gb_followed_by_a_well_formed_payment_reference_is_a_give_back_refund_id(string? refundId, bool isGiveBack)
    {
        Assert.Equal(isGiveBack, GiveBacks.IsGiveBackRefundId(refundId));
    }

    [Fact]
    public void A_give_back_is_decided_once_whatever_reason_comes_later()
    {
        var attempt = New(status: PaymentStatus.Paid);
        GiveBacks.Decide(attempt, FlagCodes.PaymentMismatch, Now);
        attempt.GiveBackState = GiveBackState.Pending;
        attempt.RefundedAmount = 4m;

        GiveBacks.Decide(attempt, FlagCodes.DuplicatePayment, Now.AddMinutes(5));

        Assert.Equal(("gb_" + Ref, FlagCodes.PaymentMismatch, GiveBackState.Pending), (attempt.GiveBackRefundId, attempt.GiveBackReason, attempt.GiveBackState));
        Assert.Equal((4m, Now), (attempt.RefundedAmount, attempt.UpdatedAt));
        Assert.Single(attempt.ReservedRefundIds);
    }

    private static PaymentAttempt ByHand(bool flagged, string code)
    {
        var attempt = New(status: PaymentStatus.Paid);
        GiveBacks.Decide(attempt, FlagCodes.DuplicatePayment, Now.AddMinutes(-30));
        attempt.GiveBackState = GiveBackState.ByHand;
        attempt.NeedsAttention = flagged;
        attempt.FailureCode = code;
        return attempt;
    }

    [Theory]
    // flagged, code → flagged after, code after (a duplicate given back by hand needs nobody)
    [InlineData(true, FlagCodes.RefundByHand, false, FlagCodes.DuplicatePayment)]
    [InlineData(false, FlagCodes.RefundByHand, false, FlagCodes.DuplicatePayment)]
    // A flag for something else (a person's other concern) is not this rule's to lower.
    [InlineData(true, FlagCodes.ConfirmationOverdue, true, FlagCodes.ConfirmationOverdue)]
    [InlineData(false, FlagCodes.ConfirmationOverdue, false, FlagCodes.ConfirmationOverdue)]
    public void Settling_by_hand_lowers_only_the_refund_by_hand_flag(bool flagged, string code, bool flaggedAfter, string codeAfter)
    {
        var attempt = ByHand(flagged, code);

        Assert.True(GiveBacks.SettleByHand(attempt, "gb_" + Ref, Now));

        Assert.Equal((GiveBackState.Done, flaggedAfter, codeAfter), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode));
        Assert.Equal(Now, attempt.UpdatedAt);
        // The money stays counted as given back.
        Assert.Equal(10m, attempt.RefundedAmount);

        // A second settlement (a retry, the timer repairing a crash) changes nothing.
        Assert.False(GiveBacks.SettleByHand(attempt, "gb_" + Ref, Now.AddMinutes(1)));
        Assert.Equal(Now, attempt.UpdatedAt);
    }

    [Fact]
    public void Another_refund_of_the_payment_is_not_settled_as_its_give_back()
    {
        var attempt = ByHand(true, FlagCodes.RefundByHand);

        Assert.False(GiveBacks.SettleByHand(attempt, "snipcart-refund-1", Now));
        Assert.Equal((GiveBackState.ByHand, true, FlagCodes.RefundByHand), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode));
    }

    [Fact]
    public void A_mismatched_payment_given_back_by_hand_stays_flagged_and_is_never_flagged_again_once_lowered()
    {
        var flagged = ByHand(true, FlagCodes.RefundByHand);
        flagged.GiveBackReason = FlagCodes.PaymentMismatch;
        Assert.True(GiveBacks.SettleByHand(flagged, "gb_" + Ref, Now));
        Assert.Equal((true, FlagCodes.PaymentMismatch), (flagged.NeedsAttention, flagged.FailureCode));

        var lowered = ByHand(false, FlagCodes.RefundByHand);
        lowered.GiveBackReason = FlagCodes.PaymentMismatch;
        Assert.True(GiveBacks.SettleByHand(lowered, "gb_" + Ref, Now));
        Assert.Equal((false, FlagCodes.PaymentMismatch), (lowered.NeedsAttention, lowered.FailureCode));
    }

    [Theory]
    [InlineData(GiveBackState.Requested)]
    [InlineData(GiveBackState.Pending)]
    [InlineData(GiveBackState.Refused)]
    [InlineData(GiveBackState.Done)]
    public void Only_a_give_back_left_to_be_made_by_hand_is_settled_by_hand(GiveBackState state)
    {
        var attempt = ByHand(true, FlagCodes.RefundByHand);
        attempt.GiveBackState = state;

        Assert.False(GiveBacks.SettleByHand(attempt, "gb_" + Ref, Now));
        Assert.Equal((state, true, FlagCodes.RefundByHand), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode));
    }
}
