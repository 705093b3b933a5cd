using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Tests.Domain.Lifecycle.LifecycleAttempts;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>What the provider says of a payment whose money is being (or was) given back is recorded, but the code and
/// flag keep saying what the give-back needs.</summary>
public sealed class GiveBackCodeKeptTests
{
    private static PaymentAttempt GivingBack(string reason, GiveBackState state, string code, bool flagged)
    {
        var attempt = New();
        GiveBacks.Decide(attempt, reason, Now.AddMinutes(-30));
        attempt.GiveBackState = state;
        attempt.FailureCode = code;
        attempt.NeedsAttention = flagged;
        return attempt;
    }

    [Theory]
    // give-back reason, where it stands, code and flag before, the provider's view now
    [InlineData(FlagCodes.PaymentMismatch, GiveBackState.ByHand, FlagCodes.RefundByHand, true, ProviderView.Mismatched)]
    [InlineData(FlagCodes.DuplicatePayment, GiveBackState.ByHand, FlagCodes.RefundByHand, true, ProviderView.Paid)]
    [InlineData(FlagCodes.DuplicatePayment, GiveBackState.Refused, FlagCodes.RefundRefused, true, ProviderView.Paid)]
    [InlineData(FlagCodes.DuplicatePayment, GiveBackState.Done, FlagCodes.DuplicatePayment, false, ProviderView.RefundedInFull)]
    [InlineData(FlagCodes.PaymentMismatch, GiveBackState.Done, FlagCodes.PaymentMismatch, false, ProviderView.RefundedInFull)]
    public void A_later_view_keeps_the_give_back_s_code_and_flag(string reason, GiveBackState state, string code, bool flagged, ProviderView view)
    {
        var attempt = GivingBack(reason, state, code, flagged);

        LifecycleEffects.RecordView(attempt, view, "provider-status", null, "provider_code", "provider message", Now);

        Assert.Equal((code, flagged), (attempt.FailureCode, attempt.NeedsAttention));
        Assert.Equal(("provider-status", PaymentLifecycle.StatusOf(view)), (attempt.ProviderStatus, attempt.Status));
    }

    [Fact]
    public void A_mismatch_seen_before_any_give_back_is_coded_and_flagged()
    {
        var attempt = New();

        LifecycleEffects.RecordView(attempt, ProviderView.Mismatched, "succeeded", null, null, null, Now);

        Assert.Equal((FlagCodes.PaymentMismatch, true), (attempt.FailureCode, attempt.NeedsAttention));
    }
}
