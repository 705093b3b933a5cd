using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Tests.Domain.Lifecycle.LifecycleAttempts;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>What a decision and a provider's view change on the attempt itself: status, codes and flag, closing and
/// reopening, a give-back decided.</summary>
public sealed class LifecycleEffectsTests
{
    // ---- RecordView ----

    [Theory]
    // view → status recorded
    [InlineData(ProviderView.Paid, PaymentStatus.Paid)]
    [InlineData(ProviderView.Pending, PaymentStatus.Pending)]
    [InlineData(ProviderView.AwaitingShopper, PaymentStatus.AwaitingShopper)]
    [InlineData(ProviderView.Failed, PaymentStatus.Failed)]
    [InlineData(ProviderView.Canceled, PaymentStatus.Canceled)]
    [InlineData(ProviderView.Authorized, PaymentStatus.Authorized)]
    public void A_verified_view_is_recorded_with_the_provider_s_own_code_and_flags_nothing(ProviderView view, PaymentStatus status)
    {
        var attempt = New(status: PaymentStatus.AwaitingShopper);
        attempt.FailureCode = "earlier_code";

        LifecycleEffects.RecordView(attempt, view, "provider-status", "tx-1", "provider_code", "provider message", Now);

        Assert.Equal((status, "provider-status", "tx-1"), (attempt.Status, attempt.ProviderStatus, attempt.TransactionId));
        Assert.Equal(("provider_code", "provider message", false), (attempt.FailureCode, attempt.FailureMessage, attempt.NeedsAttention));
        Assert.Equal(Now, attempt.UpdatedAt);
    }

    [Theory]
    [InlineData(ProviderView.Paid)]
    [InlineData(ProviderView.Failed)]
    public void A_verified_view_leaves_a_flag_a_person_has_not_lowered_yet(ProviderView view)
    {
        var attempt = New();
        attempt.NeedsAttention = true;

        LifecycleEffects.RecordView(attempt, view, "provider-status", null, null, null, Now);

        Assert.True(attempt.NeedsAttention);
        Assert.Equal((null, null), (attempt.FailureCode, attempt.FailureMessage));
    }

    [Theory]
    [InlineData(ProviderView.Mismatched, false)]
    [InlineData(ProviderView.RefundedInFull, false)]
    [InlineData(ProviderView.AuthorizedMismatch, false)]
    // Already flagged (a pending payment left too long, say): still flagged, now for the mismatch.
    [InlineData(ProviderView.Mismatched, true)]
    [InlineData(ProviderView.RefundedInFull, true)]
    [InlineData(ProviderView.AuthorizedMismatch, true)]
    public void A_view_that_failed_verification_is_recorded_failed_coded_and_flagged(ProviderView view, bool flaggedBefore)
    {
        var attempt = New();
        attempt.NeedsAttention = flaggedBefore;

        LifecycleEffects.RecordView(attempt, view, "succeeded", "tx-2", "provider_code", "provider message", Now);

        Assert.Equal((PaymentStatus.Failed, "succeeded", "tx-2"), (attempt.Status, attempt.ProviderStatus, attempt.TransactionId));
        Assert.Equal((FlagCodes.PaymentMismatch, "The payment could not be verified.", true), (attempt.FailureCode, attempt.FailureMessage, attempt.NeedsAttention));
    }

    [Theory]
    [InlineData(ProviderView.Paid, false)]
    [InlineData(ProviderView.Mismatched, false)]
    [InlineData(ProviderView.RefundedInFull, true)]
    public void A_view_of_money_being_given_back_keeps_the_give_back_s_code_message_and_flag(ProviderView view, bool flagged)
    {
        var attempt = New(status: PaymentStatus.Paid);
        GiveBacks.Decide(attempt, FlagCodes.DuplicatePayment, Now.AddMinutes(-1));
        attempt.FailureCode = FlagCodes.RefundRefused;
        attempt.FailureMessage = "The provider refused the refund.";
        attempt.NeedsAttention = flagged;

        LifecycleEffects.RecordView(attempt, view, "provider-status", "tx-3", "provider_code", "provider message", Now);

        Assert.Equal((PaymentLifecycle.StatusOf(view), "provider-status", "tx-3", Now), (attempt.Status, attempt.ProviderStatus, attempt.TransactionId, attempt.UpdatedAt));
        Assert.Equal((FlagCodes.RefundRefused, "The provider refused the refund.", flagged), (attempt.FailureCode, attempt.FailureMessage, attempt.NeedsAttention));
    }

    // ---- Apply: closing and reopening ----

    [Theory]
    // closed before, Close, Reopen → closed after
    [InlineData(false, false, false, false)]
    [InlineData(true, false, false, true)]
    [InlineData(false, true, false, true)]
    [InlineData(true, true, false, true)]
    [InlineData(true, false, true, false)]
    [InlineData(false, false, true, false)]
    [InlineData(false, true, true, false)] // never both; if it were, reopening is the last word
    public void A_decision_closes_or_reopens_the_attempt_and_otherwise_leaves_it_as_it_was(bool before, bool close, bool reopen, bool after)
    {
        var attempt = New();
        attempt.Abandoned = before;

        LifecycleEffects.Apply(attempt, new LifecycleDecision(LifecycleStep.Save, "rule") { Close = close, Reopen = reopen }, Now);

        Assert.Equal((after, Now), (attempt.Abandoned, attempt.UpdatedAt));
        Assert.Equal((null, false, null), (attempt.FailureCode, attempt.NeedsAttention, attempt.GiveBackRefundId));
    }

    [Fact]
    public void A_decision_to_give_back_reserves_the_whole_amount_under_the_attempt_s_one_refund_id()
    {
        var attempt = New(status: PaymentStatus.Paid);

        LifecycleEffects.Apply(attempt, new LifecycleDecision(LifecycleStep.Save, "rule") { GiveBack = FlagCodes.DuplicatePayment }, Now);

        Assert.Equal(("gb_" + Ref, FlagCodes.DuplicatePayment, GiveBackState.Requested), (attempt.GiveBackRefundId, attempt.GiveBackReason, attempt.GiveBackState));
        Assert.Equal((10m, Now), (attempt.RefundedAmount, attempt.UpdatedAt));
        Assert.Equal(["gb_" + Ref], attempt.ReservedRefundIds);
        Assert.True(attempt.IsGivingBack);
    }

    // ---- Apply: flags ----

    public enum FlagKind { Raise, RaiseUnlessCoded, Note, AttentionOnly }

    private static Flag Make(FlagKind kind, string code) => kind switch
    {
        FlagKind.Raise => Flag.Raise(code),
        FlagKind.RaiseUnlessCoded => Flag.RaiseUnlessCoded(code),
        FlagKind.Note => Flag.Note(code),
        _ => new Flag(null, Replace: true, Attention: true),
    };

    [Theory]
    // code before, flagged before, flag → code after, flagged after
    [InlineData(null, false, FlagKind.Raise, "new_code", true)]
    [InlineData("old_code", false, FlagKind.Raise, "new_code", true)]
    [InlineData("old_code", true, FlagKind.Raise, "new_code", true)] // raised again: still raised
    [InlineData("old_code", true, FlagKind.RaiseUnlessCoded, "old_code", true)]
    [InlineData(null, false, FlagKind.RaiseUnlessCoded, "new_code", true)]
    [InlineData("old_code", false, FlagKind.RaiseUnlessCoded, "old_code", true)]
    [InlineData(null, false, FlagKind.Note, "new_code", false)]
    [InlineData("old_code", false, FlagKind.Note, "old_code", false)]
    [InlineData("old_code", true, FlagKind.Note, "old_code", true)] // a note never lowers a flag
    [InlineData(null, true, FlagKind.Note, "new_code", true)]
    [InlineData("old_code", false, FlagKind.AttentionOnly, "old_code", true)] // no code: the provider's stays
    [InlineData(null, false, FlagKind.AttentionOnly, null, true)]
    public void A_flag_raises_attention_and_sets_its_code_unless_one_is_there_and_it_may_not_replace_it(string? before, bool flaggedBefore, FlagKind kind, string? after, bool flaggedAfter)
    {
        var attempt = New();
        attempt.FailureCode = before;
        attempt.NeedsAttention = flaggedBefore;

        LifecycleEffects.Apply(attempt, new LifecycleDecision(LifecycleStep.Save, "rule") { Flag = Make(kind, "new_code") }, Now);

        Assert.Equal((after, flaggedAfter, false), (attempt.FailureCode, attempt.NeedsAttention, attempt.Abandoned));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void No_flag_leaves_code_and_attention_as_they_were(bool flagged)
    {
        var attempt = New();
        attempt.FailureCode = "old_code";
        attempt.NeedsAttention = flagged;

        LifecycleEffects.Apply(attempt, new LifecycleDecision(LifecycleStep.Save, "rule"), Now);

        Assert.Equal(("old_code", flagged, Now), (attempt.FailureCode, attempt.NeedsAttention, attempt.UpdatedAt));
    }

    [Fact]
    public void The_flag_factories_say_whether_they_replace_a_code_and_ask_a_person()
    {
        Assert.Equal(new Flag("c", Replace: true, Attention: true), Flag.Raise("c"));
        Assert.Equal(new Flag("c", Replace: false, Attention: true), Flag.RaiseUnlessCoded("c"));
        Assert.Equal(new Flag("c", Replace: false, Attention: false), Flag.Note("c"));
    }
}
