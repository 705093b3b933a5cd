using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using static SnipcartGateway.Tests.Domain.Lifecycle.LifecycleAttempts;

namespace SnipcartGateway.Tests.Domain.Lifecycle;

/// <summary>When an attempt is looked at next (the provider's pending rhythm, the timer's backoff, the checkout's
/// expiry), when a person is asked to look, and what counts as money at stake.</summary>
public sealed class RhythmTests
{
    /// <summary>ReconcileAfter 2 min, AbandonAfter 24 h, MaxBackoff 1 h, MaxFailures 5 (unless a test says otherwise).</summary>
    private static readonly CheckRules Rules = new(TimeSpan.FromMinutes(2), TimeSpan.FromHours(24), TimeSpan.FromHours(1), 5);

    private static readonly TimeSpan[] Checks = [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)];

    // ---- SchedulePendingCheck ----

    [Theory]
    // checks done so far → seconds to the next check (-1: left as it was), checks counted after, exhausted now
    [InlineData(0, 10, 1, false)]
    [InlineData(1, 30, 2, false)]
    [InlineData(2, 60, 3, false)]
    [InlineData(3, -1, 4, true)]
    [InlineData(4, -1, 4, false)]
    [InlineData(9, -1, 9, false)]
    public void A_pending_payment_follows_the_provider_s_list_then_says_once_that_it_is_used_up(int done, int nextInSeconds, int doneAfter, bool exhausted)
    {
        var attempt = New();
        var earlier = Now.AddHours(3);
        attempt.NextCheckAt = earlier;
        attempt.PendingChecks = done;

        Rhythm.SchedulePendingCheck(attempt, PaymentStatus.Pending, Checks, Now, out var used);

        Assert.Equal(nextInSeconds < 0 ? earlier : Now.AddSeconds(nextInSeconds), attempt.NextCheckAt);
        Assert.Equal((doneAfter, exhausted), (attempt.PendingChecks, used));
    }

    [Theory]
    [InlineData(PaymentStatus.Paid)]
    [InlineData(PaymentStatus.Authorized)]
    [InlineData(PaymentStatus.AwaitingShopper)]
    [InlineData(PaymentStatus.Failed)]
    [InlineData(PaymentStatus.Canceled)]
    public void Only_a_pending_payment_follows_the_provider_s_list(PaymentStatus status)
    {
        var attempt = New();
        attempt.PendingChecks = 3;

        Rhythm.SchedulePendingCheck(attempt, status, Checks, Now, out var exhausted);

        Assert.Equal((null, 3, false), (attempt.NextCheckAt, attempt.PendingChecks, exhausted));
    }

    [Fact]
    public void A_provider_without_a_list_leaves_a_pending_payment_to_reconciliation()
    {
        var attempt = New();

        Rhythm.SchedulePendingCheck(attempt, PaymentStatus.Pending, [], Now, out var exhausted);

        Assert.Equal((null, 0, false), (attempt.NextCheckAt, attempt.PendingChecks, exhausted));
    }

    // ---- MoneyAtStake ----

    [Theory]
    // status, the provider gave a status, give-back state → money at stake
    [InlineData(PaymentStatus.Paid, false, null, true)]
    [InlineData(PaymentStatus.Paid, true, null, true)]
    [InlineData(PaymentStatus.Authorized, false, null, true)]
    [InlineData(PaymentStatus.Authorized, true, null, true)]
    [InlineData(PaymentStatus.Pending, true, null, true)]
    [InlineData(PaymentStatus.Pending, false, null, false)]
    [InlineData(PaymentStatus.AwaitingShopper, true, null, false)]
    [InlineData(PaymentStatus.AwaitingShopper, false, null, false)]
    [InlineData(PaymentStatus.Failed, true, null, false)]
    [InlineData(PaymentStatus.Canceled, true, null, false)]
    // A payment that failed verification is stored Failed; its money being given back is at stake until it is done.
    [InlineData(PaymentStatus.Failed, true, GiveBackState.Requested, true)]
    [InlineData(PaymentStatus.Failed, false, GiveBackState.Pending, true)]
    [InlineData(PaymentStatus.Failed, true, GiveBackState.Done, false)]
    [InlineData(PaymentStatus.Failed, true, GiveBackState.Refused, false)]
    [InlineData(PaymentStatus.Failed, true, GiveBackState.ByHand, false)]
    public void Money_is_at_stake_when_paid_authorised_pending_with_a_provider_status_or_being_given_back(PaymentStatus status, bool providerStatus, GiveBackState? giveBack, bool atStake)
    {
        var attempt = New(status: status);
        attempt.ProviderStatus = providerStatus ? "processing" : null;
        attempt.GiveBackState = giveBack;

        Assert.Equal(atStake, Rhythm.MoneyAtStake(attempt));
    }

    // ---- AfterSnipcartFailed ----

    [Theory]
    // status, give-back state, state being told, failures (cap 3) → abandoned, flagged, log now
    [InlineData(PaymentStatus.Failed, null, SnipcartPaymentState.Failed, 2, false, false, false)]
    [InlineData(PaymentStatus.Failed, null, SnipcartPaymentState.Failed, 3, true, true, true)]
    [InlineData(PaymentStatus.Failed, null, SnipcartPaymentState.Failed, 4, true, true, true)]
    // "processed" is kept whatever the stored status says (the view being told is paid).
    [InlineData(PaymentStatus.Failed, null, SnipcartPaymentState.Processed, 3, false, true, true)]
    [InlineData(PaymentStatus.Failed, null, SnipcartPaymentState.Processed, 4, false, true, false)]
    [InlineData(PaymentStatus.AwaitingShopper, null, SnipcartPaymentState.Invalidated, 3, true, true, true)]
    // Money being given back is never given up.
    [InlineData(PaymentStatus.Failed, GiveBackState.Requested, SnipcartPaymentState.Failed, 3, false, true, true)]
    [InlineData(PaymentStatus.Failed, GiveBackState.Pending, SnipcartPaymentState.Failed, 5, false, true, false)]
    [InlineData(PaymentStatus.Failed, GiveBackState.Done, SnipcartPaymentState.Failed, 3, true, true, true)]
    [InlineData(PaymentStatus.Paid, null, SnipcartPaymentState.Processed, 2, false, false, false)]
    public void Snipcart_failing_up_to_the_cap_flags_the_attempt_and_gives_up_only_what_has_no_money_at_stake(
        PaymentStatus status, GiveBackState? giveBack, SnipcartPaymentState state, int failures, bool abandoned, bool flagged, bool logNow)
    {
        var attempt = New(status: status);
        attempt.GiveBackState = giveBack;
        attempt.ConfirmationFailures = failures;

        var log = Rhythm.AfterSnipcartFailed(attempt, state, 3);

        Assert.Equal((abandoned, flagged, logNow), (attempt.Abandoned, attempt.NeedsAttention, log));
    }

    [Fact]
    public void A_given_up_attempt_with_money_at_stake_is_put_back_on_the_list()
    {
        var attempt = New(status: PaymentStatus.Paid);
        attempt.Abandoned = true;
        attempt.ConfirmationFailures = 3;

        Rhythm.AfterSnipcartFailed(attempt, SnipcartPaymentState.Processed, 3);

        Assert.False(attempt.Abandoned);
    }

    // ---- ScheduleNextCheck: answered ----

    [Theory]
    // minutes since created → minutes to the next check
    [InlineData(5, 2)]
    [InlineData(24 * 60 - 1, 1)] // the checkout expires in a minute: checked then
    [InlineData(24 * 60, 2)] // expires now: already due, so the usual pace
    [InlineData(24 * 60 + 1, 60)] // older than AbandonAfter: hourly
    [InlineData(3 * 24 * 60, 60)]
    public void An_answered_check_comes_back_after_ReconcileAfter_or_hourly_once_older_than_AbandonAfter(int ageInMinutes, int nextInMinutes)
    {
        var attempt = New(created: Now.AddMinutes(-ageInMinutes));
        attempt.ReconcileChecks = 4;

        var scheduled = Rhythm.ScheduleNextCheck(attempt, answered: true, Now, Rules);

        Assert.Equal((CheckScheduled.Later, 0, Now.AddMinutes(nextInMinutes)), (scheduled, attempt.ReconcileChecks, attempt.NextCheckAt));
        Assert.Equal((false, false, null), (attempt.NeedsAttention, attempt.Abandoned, attempt.FailureCode));
    }

    [Fact]
    public void Exactly_AbandonAfter_old_is_not_older_than_AbandonAfter()
    {
        // The checkout's own expiry is set well away, so only the age decides.
        var attempt = New(created: Now - Rules.AbandonAfter);
        attempt.ExpiresAt = Now.AddDays(5);
        Rhythm.ScheduleNextCheck(attempt, answered: true, Now, Rules);
        Assert.Equal(Now + Rules.ReconcileAfter, attempt.NextCheckAt);

        var older = New(created: Now - Rules.AbandonAfter - TimeSpan.FromTicks(1));
        older.ExpiresAt = Now.AddDays(5);
        Rhythm.ScheduleNextCheck(older, answered: true, Now, Rules);
        Assert.Equal(Now + Rules.MaxBackoff, older.NextCheckAt);
    }

    [Theory]
    // seconds from now to the check already set (the provider's rhythm) → seconds to the next check
    [InlineData(30, 30)] // sooner: kept
    [InlineData(119, 119)]
    [InlineData(120, 120)]
    [InlineData(121, 120)] // later: the usual pace
    [InlineData(3600, 120)]
    [InlineData(0, 120)] // due now or past: the usual pace
    [InlineData(-30, 120)]
    public void An_answered_check_keeps_a_sooner_check_the_provider_s_rhythm_set(int setInSeconds, int nextInSeconds)
    {
        var attempt = New();
        attempt.NextCheckAt = Now.AddSeconds(setInSeconds);

        Rhythm.ScheduleNextCheck(attempt, answered: true, Now, Rules);

        Assert.Equal(Now.AddSeconds(nextInSeconds), attempt.NextCheckAt);
    }

    [Theory]
    // give-back state, answered, seconds to the check already set → seconds to the next check
    [InlineData(GiveBackState.Pending, true, 3 * 3600, 3 * 3600)] // the give-back's own backoff is kept
    [InlineData(GiveBackState.Pending, true, 30, 30)]
    [InlineData(GiveBackState.Pending, true, -30, 120)]
    [InlineData(GiveBackState.Requested, true, 3 * 3600, 120)]
    [InlineData(GiveBackState.Done, true, 3 * 3600, 120)]
    [InlineData(GiveBackState.Pending, false, 3 * 3600, 120)] // no answer: the timer's own backoff
    public void A_pending_give_back_keeps_its_own_backoff_when_the_provider_answers(GiveBackState state, bool answered, int setInSeconds, int nextInSeconds)
    {
        var attempt = New(status: PaymentStatus.Failed);
        attempt.GiveBackState = state;
        attempt.NextCheckAt = Now.AddSeconds(setInSeconds);

        var scheduled = Rhythm.ScheduleNextCheck(attempt, answered, Now, Rules);

        Assert.Equal((CheckScheduled.Later, Now.AddSeconds(nextInSeconds)), (scheduled, attempt.NextCheckAt));
    }

    [Theory]
    // answered, seconds to the provider's expiry, seconds to the check already set → seconds to the next check
    [InlineData(true, 60, null, 60)]
    [InlineData(false, 60, null, 60)] // closed on time even while the provider does not answer
    [InlineData(true, 0, null, 120)] // due now: the usual pace
    [InlineData(true, -60, null, 120)]
    [InlineData(true, 119, null, 119)]
    [InlineData(true, 121, null, 120)]
    [InlineData(true, 60, 90, 60)] // the expiry before the provider's rhythm
    [InlineData(true, 60, 30, 30)] // the provider's rhythm before the expiry
    [InlineData(false, 300, 30, 120)] // an unanswered check ignores the rhythm: 2 minutes (first failure)
    public void The_checkout_s_expiry_is_checked_when_it_comes(bool answered, int expiresInSeconds, int? setInSeconds, int nextInSeconds)
    {
        var attempt = New();
        attempt.ExpiresAt = Now.AddSeconds(expiresInSeconds);
        attempt.NextCheckAt = setInSeconds is { } s ? Now.AddSeconds(s) : null;

        Rhythm.ScheduleNextCheck(attempt, answered, Now, Rules);

        Assert.Equal(Now.AddSeconds(nextInSeconds), attempt.NextCheckAt);
    }

    [Fact]
    public void Without_the_provider_s_word_the_checkout_expires_AbandonAfter_after_creation()
    {
        var attempt = New(created: Now - Rules.AbandonAfter + TimeSpan.FromSeconds(45));

        Rhythm.ScheduleNextCheck(attempt, answered: true, Now, Rules);

        Assert.Equal(Now.AddSeconds(45), attempt.NextCheckAt);
    }

    // ---- ScheduleNextCheck: unanswered ----

    [Theory]
    // unanswered checks before → minutes to the next check (2, 4, 8, 16, 32, then the 1 h cap)
    [InlineData(0, 2)]
    [InlineData(1, 4)]
    [InlineData(2, 8)]
    [InlineData(3, 16)]
    [InlineData(4, 32)]
    [InlineData(5, 60)]
    [InlineData(6, 60)]
    [InlineData(40, 60)] // the shift is capped: no overflow however long it goes on
    public void Each_unanswered_check_doubles_the_wait_up_to_MaxBackoff(int before, int nextInMinutes)
    {
        var rules = Rules with { MaxFailures = 100 };
        var attempt = New(status: PaymentStatus.AwaitingShopper);
        attempt.ReconcileChecks = before;

        var scheduled = Rhythm.ScheduleNextCheck(attempt, answered: false, Now, rules);

        Assert.Equal((CheckScheduled.Later, before + 1, Now.AddMinutes(nextInMinutes)), (scheduled, attempt.ReconcileChecks, attempt.NextCheckAt));
        Assert.False(attempt.NeedsAttention);
    }

    [Theory]
    // status, provider status, code already there, unanswered checks before (cap 5) → scheduled, code after
    [InlineData(PaymentStatus.Paid, null, null, 4, CheckScheduled.FlaggedStillTrying, FlagCodes.ConfirmationOverdue)]
    [InlineData(PaymentStatus.Paid, null, null, 5, CheckScheduled.Later, FlagCodes.ConfirmationOverdue)]
    [InlineData(PaymentStatus.Paid, null, FlagCodes.DuplicatePayment, 4, CheckScheduled.FlaggedStillTrying, FlagCodes.DuplicatePayment)]
    [InlineData(PaymentStatus.Pending, "processing", null, 4, CheckScheduled.FlaggedStillTrying, FlagCodes.ReconcileNoAnswer)]
    [InlineData(PaymentStatus.Authorized, null, null, 4, CheckScheduled.FlaggedStillTrying, FlagCodes.ReconcileNoAnswer)]
    [InlineData(PaymentStatus.Authorized, null, null, 7, CheckScheduled.Later, FlagCodes.ReconcileNoAnswer)]
    public void Money_at_stake_unanswered_MaxFailures_times_is_flagged_once_and_tried_hourly(PaymentStatus status, string? providerStatus, string? code, int before, CheckScheduled expected, string codeAfter)
    {
        var attempt = New(status: status);
        attempt.ProviderStatus = providerStatus;
        attempt.FailureCode = code;
        attempt.ReconcileChecks = before;
        attempt.NextCheckAt = Now.AddSeconds(10);

        var scheduled = Rhythm.ScheduleNextCheck(attempt, answered: false, Now, Rules);

        Assert.Equal((expected, before + 1), (scheduled, attempt.ReconcileChecks));
        Assert.Equal((true, false, codeAfter, Now + Rules.MaxBackoff), (attempt.NeedsAttention, attempt.Abandoned, attempt.FailureCode, attempt.NextCheckAt));
    }

    [Theory]
    // status, provider status, code already there, unanswered checks before (cap 5) → code after
    [InlineData(PaymentStatus.AwaitingShopper, "created", null, 4, FlagCodes.ReconcileGaveUp)]
    [InlineData(PaymentStatus.Pending, null, null, 4, FlagCodes.ReconcileGaveUp)]
    [InlineData(PaymentStatus.Failed, "declined", FlagCodes.PaymentDeclined, 4, FlagCodes.PaymentDeclined)]
    [InlineData(PaymentStatus.AwaitingShopper, "created", null, 9, FlagCodes.ReconcileGaveUp)]
    public void Nothing_at_stake_unanswered_MaxFailures_times_is_given_up_and_flagged(PaymentStatus status, string? providerStatus, string? code, int before, string codeAfter)
    {
        var attempt = New(status: status);
        attempt.ProviderStatus = providerStatus;
        attempt.FailureCode = code;
        attempt.ReconcileChecks = before;
        var earlier = Now.AddSeconds(10);
        attempt.NextCheckAt = earlier;

        var scheduled = Rhythm.ScheduleNextCheck(attempt, answered: false, Now, Rules);

        Assert.Equal((CheckScheduled.GivenUp, before + 1), (scheduled, attempt.ReconcileChecks));
        Assert.Equal((true, true, codeAfter, earlier), (attempt.NeedsAttention, attempt.Abandoned, attempt.FailureCode, attempt.NextCheckAt));
    }

    [Theory]
    [InlineData(PaymentStatus.Paid)]
    [InlineData(PaymentStatus.AwaitingShopper)]
    public void One_short_of_MaxFailures_is_only_a_longer_wait(PaymentStatus status)
    {
        var attempt = New(status: status);
        attempt.ReconcileChecks = 3;

        var scheduled = Rhythm.ScheduleNextCheck(attempt, answered: false, Now, Rules);

        Assert.Equal((CheckScheduled.Later, 4, Now.AddMinutes(16)), (scheduled, attempt.ReconcileChecks, attempt.NextCheckAt));
        Assert.Equal((false, false, null), (attempt.NeedsAttention, attempt.Abandoned, attempt.FailureCode));
    }

    [Fact]
    public void An_answer_after_MaxFailures_silences_starts_counting_again()
    {
        var attempt = New(status: PaymentStatus.AwaitingShopper);
        attempt.ReconcileChecks = 9;

        var scheduled = Rhythm.ScheduleNextCheck(attempt, answered: true, Now, Rules);

        Assert.Equal((CheckScheduled.Later, 0, false), (scheduled, attempt.ReconcileChecks, attempt.Abandoned));
    }
}
