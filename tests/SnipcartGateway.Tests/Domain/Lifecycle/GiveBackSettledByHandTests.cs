using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>A give-back a person made by hand and marked done, recorded on its attempt.</summary>
public sealed class GiveBackSettledByHandTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private const string Ref = TestAttempts.PaymentRef;

    private static PaymentAttempt ByHand(string reason)
    {
        var attempt = TestAttempts.New(Now.AddHours(-1), "snapplify", 10m, "ZAR");
        GiveBacks.Decide(attempt, reason, Now.AddMinutes(-30));
        attempt.GiveBackState = GiveBackState.ByHand;
        attempt.NeedsAttention = true;
        attempt.FailureCode = FlagCodes.RefundByHand;
        return attempt;
    }

    [Theory]
    // reason → flag after, failure code after (as the provider's own "given back" leaves them)
    [InlineData(FlagCodes.DuplicatePayment, false, FlagCodes.DuplicatePayment)]
    [InlineData(FlagCodes.PaymentMismatch, true, FlagCodes.PaymentMismatch)]
    public void Records_the_give_back_as_done_and_flags_it_as_the_providers_answer_would(string reason, bool flagged, string code)
    {
        var attempt = ByHand(reason);

        Assert.True(GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), Now));

        Assert.Equal((GiveBackState.Done, flagged, code, Now), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode, attempt.UpdatedAt));
        // The money stays counted as given back.
        Assert.Equal(10m, attempt.RefundedAmount);
    }

    [Fact]
    public void A_second_settlement_changes_nothing()
    {
        var attempt = ByHand(FlagCodes.DuplicatePayment);
        GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), Now);

        Assert.False(GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), Now.AddMinutes(1)));
        Assert.Equal(Now, attempt.UpdatedAt);
    }

    [Fact]
    public void Another_refund_of_the_payment_or_a_give_back_not_by_hand_is_not_this_rule_s()
    {
        var attempt = ByHand(FlagCodes.DuplicatePayment);
        Assert.False(GiveBacks.SettleByHand(attempt, "snipcart-refund-1", Now));

        attempt.GiveBackState = GiveBackState.Refused;
        Assert.False(GiveBacks.SettleByHand(attempt, GiveBacks.RefundIdFor(Ref), Now));
        Assert.Equal((GiveBackState.Refused, true, FlagCodes.RefundByHand), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode));
    }
}
