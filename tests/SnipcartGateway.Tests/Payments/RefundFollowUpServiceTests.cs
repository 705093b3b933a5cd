using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// The timer's refund follow-up, run by hand against Sandbox Pay's real adapter and Azurite: a pending refund is
/// looked up with backoff until it ends, a refund never answered is repeated under its key, a refusal frees its
/// amount and flags the payment, a refund that stays open is flagged once at the cap, a refund by hand is flagged once,
/// and the run's report counts each.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RefundFollowUpServiceTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private static readonly TimeSpan Base = TimeSpan.FromMinutes(2); // Payments__ReconcileAfter's default

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Payments:MaxReconcileFailures"] = "3",
        ["Payments:ReconcileAttemptTimeout"] = "00:00:01",
    };

    private RefundFollowUpService FollowUp => _h.Services.GetRequiredService<RefundFollowUpService>();

    private async Task<(PaymentAttempt Attempt, RefundRecord Refund)> RefundedAsync(decimal amount = 10m)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        await Record.ExceptionAsync(() => _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, amount, null, null), CancellationToken.None));
        return (attempt, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)));
    }

    private async Task<RefundRecord> RefundAsync(RefundRecord refund) => (await _h.Store.GetRefundAsync(refund.PaymentRef, refund.RefundId))!.Value;

    private async Task<RefundRecord> RefundAsync(OpenRefundEntry entry) => (await _h.Store.GetRefundAsync(entry.PaymentRef, entry.RefundId))!.Value;

    /// <summary>The next check is <paramref name="wait"/> after the run that started at <paramref name="checkedAt"/>
    /// (the test's clock moves with real time, so within the run's few seconds).</summary>
    private void AssertNextCheck(RefundRecord refund, DateTimeOffset checkedAt, TimeSpan wait)
    {
        var next = Assert.NotNull(refund.NextCheckAt);
        Assert.InRange(next, checkedAt + wait, _h.Clock.GetUtcNow() + wait);
    }

    [Fact]
    public async Task A_pending_refund_is_looked_up_with_a_doubling_wait_until_it_succeeds()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (attempt, refund) = await RefundedAsync();
        Assert.Equal(RefundState.Pending, refund.State);
        var repeated = 0;
        _provider.BeforeRefund = _ => { repeated++; return Task.CompletedTask; };

        // Fresh: left to the request that made it.
        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        Assert.Equal(0, (await RefundAsync(refund)).FollowUpChecks);

        _h.Clock.Advance(Base);
        var checkedAt = _h.Clock.GetUtcNow();
        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        var once = await RefundAsync(refund);
        Assert.Equal((RefundState.Pending, 1, false), (once.State, once.FollowUpChecks, once.NeedsAttention));
        AssertNextCheck(once, checkedAt, Base);

        // Not due before its next check; then the wait doubles.
        _h.Clock.Advance(once.NextCheckAt!.Value - _h.Clock.GetUtcNow() - TimeSpan.FromSeconds(5));
        await FollowUp.RunAsync(CancellationToken.None);
        Assert.Equal(1, (await RefundAsync(refund)).FollowUpChecks);
        _h.Clock.Advance(TimeSpan.FromSeconds(5));
        checkedAt = _h.Clock.GetUtcNow();
        await FollowUp.RunAsync(CancellationToken.None);
        var twice = await RefundAsync(refund);
        Assert.Equal(2, twice.FollowUpChecks);
        AssertNextCheck(twice, checkedAt, 2 * Base);

        _h.State.SettleSandboxPayRefund(twice.ProviderRefundId!, succeeded: true);
        _h.Clock.Advance(2 * Base);
        Assert.Equal(new RefundFollowUpReport(1, 1, 0, 0, 0), await FollowUp.RunAsync(CancellationToken.None));

        var done = await RefundAsync(refund);
        Assert.Equal((RefundState.Succeeded, (DateTimeOffset?)null), (done.State, done.NextCheckAt));
        Assert.False(await _h.IsOpenAsync(refund));
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((10m, false), (after.RefundedAmount, after.NeedsAttention));
        Assert.Single(_h.State.SandboxPayRefunds, r => r.Payment == attempt.ProviderPaymentId);
        // A refund the provider accepted is looked up, never sent again.
        Assert.Equal(0, repeated);
        Assert.Equal(new RefundFollowUpReport(0, 0, 0, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_pending_refund_the_provider_then_refuses_frees_its_amount_and_flags_the_payment()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (attempt, refund) = await RefundedAsync(12m);
        Assert.Equal(12m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
        _h.State.SettleSandboxPayRefund(refund.ProviderRefundId!, succeeded: false);
        _h.Clock.Advance(Base);

        Assert.Equal(new RefundFollowUpReport(1, 1, 0, 0, 0), await FollowUp.RunAsync(CancellationToken.None));

        var failed = await RefundAsync(refund);
        Assert.Equal((RefundState.Failed, (DateTimeOffset?)null), (failed.State, failed.NextCheckAt));
        Assert.False(await _h.IsOpenAsync(refund));
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((0m, true, RefundFollowUpPolicy.RefundFailedAfterPending), (after.RefundedAmount, after.NeedsAttention, after.FailureCode));
        Assert.Equal(attempt.Amount.Amount, after.RefundableAmount.Amount);
    }

    [Fact]
    public async Task A_refund_still_open_at_the_cap_is_flagged_once_and_still_followed()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (attempt, refund) = await RefundedAsync();
        var reports = new List<RefundFollowUpReport>();
        for (var check = 1; check <= 3; check++)
        {
            _h.Clock.Advance(TimeSpan.FromHours(1));
            reports.Add(await FollowUp.RunAsync(CancellationToken.None));
        }

        Assert.Equal([new(1, 0, 1, 0, 0), new(1, 0, 1, 0, 0), new(1, 0, 0, 0, 1)], reports);
        var flagged = await RefundAsync(refund);
        Assert.Equal((3, true), (flagged.FollowUpChecks, flagged.NeedsAttention));
        var payment = (await _h.Store.GetAttemptAsync(attempt.PaymentRef))!;
        Assert.Equal((true, RefundFollowUpPolicy.RefundUnresolved), (payment.Value.NeedsAttention, payment.Value.FailureCode));

        // A person marks the payment handled: more unanswered checks do not raise it again, and the refund is still asked.
        payment.Value.NeedsAttention = false;
        await _h.Store.UpdateAttemptAsync(payment.Value, payment.Version);
        _h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        Assert.Equal(4, (await RefundAsync(refund)).FollowUpChecks);
        Assert.False((await _h.AttemptAsync(attempt.PaymentRef)).NeedsAttention);
        Assert.True(await _h.IsOpenAsync(refund));
    }

    [Fact]
    public async Task A_refund_by_hand_flags_its_payment_once_and_waits_for_a_person()
    {
        _provider.CapabilitiesOverride = _provider.Capabilities with { Refunds = false, RefundLookup = false };
        var (attempt, refund) = await RefundedAsync(7m);
        Assert.Equal(RefundState.ManualRefundRequired, refund.State);

        Assert.Equal(new RefundFollowUpReport(1, 0, 0, 1, 0), await FollowUp.RunAsync(CancellationToken.None));
        var payment = (await _h.Store.GetAttemptAsync(attempt.PaymentRef))!;
        Assert.Equal((true, RefundFollowUpPolicy.ManualRefundRequired, 7m), (payment.Value.NeedsAttention, payment.Value.FailureCode, payment.Value.RefundedAmount));
        Assert.True((await RefundAsync(refund)).NeedsAttention);

        // Marked handled before the refund is made: not raised again every run.
        payment.Value.NeedsAttention = false;
        await _h.Store.UpdateAttemptAsync(payment.Value, payment.Version);
        _h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(new RefundFollowUpReport(1, 0, 0, 1, 0), await FollowUp.RunAsync(CancellationToken.None));
        Assert.False((await _h.AttemptAsync(attempt.PaymentRef)).NeedsAttention);
        Assert.Equal(RefundState.ManualRefundRequired, (await RefundAsync(refund)).State);
        Assert.True(await _h.IsOpenAsync(refund));
        Assert.Empty(_h.State.SandboxPayRefunds);
    }

    public static TheoryData<string, HttpStatusCode?, RefundState, bool, string?> Repeats => new()
    {
        // The repeat's answer: the refund's state after it, whether it is still on the list, and the message kept.
        { "succeeded", null, RefundState.Succeeded, false, null },
        { "refused", HttpStatusCode.UnprocessableEntity, RefundState.Failed, false, "amount_too_large" },
        { "refused without a code", HttpStatusCode.BadRequest, RefundState.Failed, false, "HTTP 400" },
        { "key in use", HttpStatusCode.Conflict, RefundState.Requested, true, "HTTP 409" },
        { "pending", null, RefundState.Pending, true, null },
        { "no answer", null, RefundState.Requested, true, "no answer" },
        { "server error", HttpStatusCode.BadGateway, RefundState.Requested, true, "HTTP 502" },
    };

    [Theory]
    [MemberData(nameof(Repeats))]
    public async Task A_refund_never_answered_is_repeated_under_its_key_and_recorded_as_the_repeat_answers(string answer, HttpStatusCode? status, RefundState state, bool stillOpen, string? message)
    {
        var sent = new List<string>();
        _provider.RefundOverride = _ => throw new ProviderException("sandboxpay", "no answer");
        var (attempt, refund) = await RefundedAsync();
        Assert.Equal(RefundState.Requested, refund.State);
        _provider.RefundOverride = request =>
        {
            sent.Add(request.RefundRef);
            return answer switch
            {
                "succeeded" => Task.FromResult(new ProviderRefund { ProviderRefundId = "re_repeat", Status = RefundStatus.Succeeded }),
                "pending" => Task.FromResult(new ProviderRefund { ProviderRefundId = "re_repeat", Status = RefundStatus.Pending }),
                "refused" => throw new ProviderException("sandboxpay", "refused", status, "amount_too_large"),
                "refused without a code" => throw new ProviderException("sandboxpay", "refused", status),
                "no answer" => throw new ProviderException("sandboxpay", "no answer"),
                _ => throw new ProviderException("sandboxpay", answer, status),
            };
        };
        _h.Clock.Advance(Base);
        var checkedAt = _h.Clock.GetUtcNow();

        var report = await FollowUp.RunAsync(CancellationToken.None);

        Assert.Equal([refund.RefundId], sent);
        var after = await RefundAsync(refund);
        Assert.Equal((state, message), (after.State, after.FailureMessage));
        Assert.Equal(stillOpen, await _h.IsOpenAsync(refund));
        Assert.Equal(stillOpen ? new RefundFollowUpReport(1, 0, 1, 0, 0) : new RefundFollowUpReport(1, 1, 0, 0, 0), report);
        var payment = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal(state == RefundState.Failed ? 0m : 10m, payment.RefundedAmount);
        Assert.Equal(state == RefundState.Failed, payment.NeedsAttention);
        Assert.Equal(state == RefundState.Failed ? RefundFollowUpPolicy.RefundFailedAfterPending : null, payment.FailureCode);
        if (answer is "succeeded" or "pending")
        {
            Assert.Equal("re_repeat", after.ProviderRefundId);
        }
        if (stillOpen)
        {
            Assert.Equal(1, after.FollowUpChecks);
            AssertNextCheck(after, checkedAt, Base);
        }
    }

    [Fact]
    public async Task A_run_stops_at_its_budget_and_leaves_the_rest_for_the_next()
    {
        _provider.RefundOverride = _ => throw new ProviderException("sandboxpay", "no answer");
        await RefundedAsync();
        await RefundedAsync();
        // A second process on the same tables with a one-second budget, whose provider hangs until its call is cut
        // at the attempt timeout (1.5 s): the budget never cuts a provider's call, which is recorded as no answer.
        var asked = 0;
        var slow = _h.Build(
            s => PaymentCoreHarness.DecorateProvider(s, p => new HookedProvider(p)
            {
                RefundAnswer = async (_, cancellationToken) =>
                {
                    asked++;
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    throw new InvalidOperationException("unreachable");
                },
            }),
            new Dictionary<string, string?> { ["Payments:RefundFollowUpBudget"] = "00:00:01", ["Payments:ReconcileAttemptTimeout"] = "00:00:01.500" });
        _h.Clock.Advance(Base);

        var report = await slow.GetRequiredService<RefundFollowUpService>().RunAsync(CancellationToken.None);

        Assert.Equal((new RefundFollowUpReport(2, 0, 1, 0, 0), 1), (report, asked));
        var followed = (await Task.WhenAll((await _h.ListOpenRefundsAsync()).Select(RefundAsync))).OrderBy(r => r.FollowUpChecks).ToList();
        Assert.Equal([0, 1], followed.Select(r => r.FollowUpChecks));
        Assert.Equal("no answer", followed[1].FailureMessage);
    }

    [Fact]
    public async Task A_lookup_the_provider_answers_with_a_refusal_is_no_answer_never_a_refused_refund()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (attempt, refund) = await RefundedAsync();
        // The provider no longer knows the refund id we hold: its lookup answers 404.
        var read = (await _h.Store.GetRefundAsync(refund.PaymentRef, refund.RefundId))!;
        read.Value.ProviderRefundId = "re_unknown";
        await _h.Store.UpdateRefundAsync(read.Value, read.Version);
        _h.Clock.Advance(Base);

        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));

        var after = await RefundAsync(refund);
        Assert.Equal((RefundState.Pending, 1, "HTTP 404"), (after.State, after.FollowUpChecks, after.FailureMessage));
        Assert.Equal((10m, false), ((await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount, (await _h.AttemptAsync(attempt.PaymentRef)).NeedsAttention));
    }

    [Fact]
    public async Task A_provider_that_hangs_is_cut_at_the_attempt_timeout_and_the_next_refund_is_still_followed()
    {
        _provider.RefundOverride = _ => throw new ProviderException("sandboxpay", "no answer");
        var (_, first) = await RefundedAsync();
        var (_, second) = await RefundedAsync();
        _provider.RefundOverride = null;
        var calls = 0;
        _provider.RefundAnswer = async (_, cancellationToken) =>
        {
            calls++;
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        };
        _h.Clock.Advance(Base);

        var report = await FollowUp.RunAsync(CancellationToken.None);

        Assert.Equal((new RefundFollowUpReport(2, 0, 2, 0, 0), 2), (report, calls));
        foreach (var refund in new[] { first, second })
        {
            var after = await RefundAsync(refund);
            Assert.Equal((RefundState.Requested, 1, "no answer"), (after.State, after.FollowUpChecks, after.FailureMessage));
        }
    }

    [Fact]
    public async Task A_refund_written_by_someone_else_meanwhile_or_a_failing_read_is_left_for_the_next_run()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (_, raced) = await RefundedAsync();
        _h.Clock.Advance(Base);
        // Snipcart's retry or the support page writes the refund between our read and our write.
        _store.BeforeRefundUpdate = async store =>
        {
            var current = (await store.GetRefundAsync(raced.PaymentRef, raced.RefundId))!;
            current.Value.ResolutionNote = "written by someone else";
            await store.UpdateRefundAsync(current.Value, current.Version);
        };

        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        var after = await RefundAsync(raced);
        Assert.Equal((0, "written by someone else"), (after.FollowUpChecks, after.ResolutionNote));

        // The next run follows it as usual.
        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        Assert.Equal(1, (await RefundAsync(raced)).FollowUpChecks);
    }

    [Fact]
    public async Task An_open_row_ahead_of_its_refund_is_kept_while_a_request_may_still_write_it_then_dropped()
    {
        var (attempt, refund) = await RefundedAsync();
        _store.MissingRefunds.Add(refund.RefundId);

        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        Assert.True(await _h.IsOpenAsync(refund));

        _h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(new RefundFollowUpReport(1, 0, 1, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        Assert.False(await _h.IsOpenAsync(refund));
        Assert.Equal(10m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Fact]
    public async Task A_final_refund_still_listed_is_taken_off_and_a_refused_one_frees_its_amount_once()
    {
        var (keptAttempt, kept) = await RefundedAsync(4m);
        var (freedAttempt, freed) = await RefundedAsync(6m);
        // A crash after each refund's final write, before it left the list (and, refused, before its amount was freed).
        async Task EndAsync(RefundRecord refund, RefundState state)
        {
            var read = (await _h.Store.GetRefundAsync(refund.PaymentRef, refund.RefundId))!;
            read.Value.State = state;
            await _h.Store.UpdateRefundAsync(read.Value, read.Version);
        }
        await EndAsync(kept, RefundState.Succeeded);
        await EndAsync(freed, RefundState.Failed);

        Assert.Equal(new RefundFollowUpReport(2, 2, 0, 0, 0), await FollowUp.RunAsync(CancellationToken.None));
        Assert.Equal(new RefundFollowUpReport(0, 0, 0, 0, 0), await FollowUp.RunAsync(CancellationToken.None));

        Assert.False(await _h.IsOpenAsync(kept));
        Assert.False(await _h.IsOpenAsync(freed));
        Assert.Equal(4m, (await _h.AttemptAsync(keptAttempt.PaymentRef)).RefundedAmount);
        Assert.Equal(0m, (await _h.AttemptAsync(freedAttempt.PaymentRef)).RefundedAmount);
    }

    public static TheoryData<string?, bool, string> FlagsBeforeHandOver => new()
    {
        // The payment's code and flag before the hand-over, and its code after (the flag is always raised).
        { null, false, RefundFollowUpPolicy.ManualRefundRequired },
        { RefundFollowUpPolicy.RefundUnresolved, false, RefundFollowUpPolicy.ManualRefundRequired },
        { RefundFollowUpPolicy.RefundUnresolved, true, RefundFollowUpPolicy.ManualRefundRequired },
        { RefundFollowUpPolicy.ManualRefundRequired, false, RefundFollowUpPolicy.ManualRefundRequired },
        { "payment_mismatch", false, "payment_mismatch" },
    };

    [Theory]
    [MemberData(nameof(FlagsBeforeHandOver))]
    public async Task A_refund_handed_to_a_person_for_an_expired_key_always_raises_the_payment_s_flag_and_keeps_another_reason(string? codeBefore, bool flaggedBefore, string codeAfter)
    {
        _provider.CapabilitiesOverride = _provider.Capabilities with { IdempotencyKeyLifetime = TimeSpan.FromHours(6) };
        _provider.RefundOverride = _ => throw new ProviderException("sandboxpay", "no answer");
        var (attempt, refund) = await RefundedAsync();
        var read = (await _h.Store.GetAttemptAsync(attempt.PaymentRef))!;
        read.Value.FailureCode = codeBefore;
        read.Value.NeedsAttention = flaggedBefore;
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);
        _h.Clock.Advance(TimeSpan.FromHours(6));

        Assert.Equal(new RefundFollowUpReport(1, 0, 0, 1, 0), await FollowUp.RunAsync(CancellationToken.None));

        var handedOver = await RefundAsync(refund);
        Assert.Equal((RefundState.ManualRefundRequired, true, (DateTimeOffset?)null), (handedOver.State, handedOver.NeedsAttention, handedOver.NextCheckAt));
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((true, codeAfter, 10m), (after.NeedsAttention, after.FailureCode, after.RefundedAmount));
    }

    [Fact]
    public async Task A_refund_recorded_but_never_reserved_is_dropped_with_its_reason()
    {
        var (attempt, _) = await RefundedAsync();
        var now = _h.Clock.GetUtcNow();
        var orphan = new RefundRecord { PaymentRef = attempt.PaymentRef, RefundId = PaymentReferences.NewRefundId(), Amount = new Money(1m, attempt.Amount.Currency), RequestedAt = now, UpdatedAt = now };
        await _h.Store.AddRefundAsync(orphan);
        _h.Clock.Advance(TimeSpan.FromMinutes(3));

        await FollowUp.RunAsync(CancellationToken.None);

        var dropped = await RefundAsync(orphan);
        Assert.Equal((RefundState.Failed, "Never reserved on its payment, so never sent: the request that recorded it stopped before."), (dropped.State, dropped.FailureMessage));
        Assert.False(await _h.IsOpenAsync(orphan));
    }

    [Fact]
    public async Task A_give_back_a_person_marked_done_whose_payment_was_not_updated_is_recorded_given_back_by_the_timer()
    {
        // Money taken for another amount on a provider without a refund API: to give back by hand.
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SnipcartGateway.Sandbox.SandboxPayStatuses.Succeeded);
        _provider.AfterGet = seen => seen with { Amount = new Money(seen.Amount!.Value.Amount - 1m, seen.Amount.Value.Currency) };
        _provider.CapabilitiesOverride = new ProviderCapabilities(Refunds: false, PartialRefunds: false);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        var byHand = await _h.AttemptAsync(paymentRef);
        Assert.Equal(SnipcartGateway.Domain.Lifecycle.GiveBackState.ByHand, byHand.GiveBackState);
        // The person's "done" was written on the refund, then the process stopped before the payment's write.
        var read = (await _h.Store.GetRefundAsync(paymentRef, byHand.GiveBackRefundId!))!;
        read.Value.State = RefundState.Succeeded;
        read.Value.Resolution = ManualRefundOutcome.Done;
        read.Value.ResolvedBy = "support-key";
        await _h.Store.UpdateRefundAsync(read.Value, read.Version);

        Assert.Equal(new RefundFollowUpReport(1, 1, 0, 0, 0), await FollowUp.RunAsync(CancellationToken.None));

        var after = await _h.AttemptAsync(paymentRef);
        Assert.Equal(SnipcartGateway.Domain.Lifecycle.GiveBackState.Done, after.GiveBackState);
        Assert.False(await _h.IsOpenAsync(read.Value));
    }

    [Fact]
    public async Task A_refund_is_first_due_exactly_when_the_request_that_made_it_is_given_up()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (_, attempt) = await _h.PaidPaymentAsync();
        var clock = new StoppedClock(_h.Clock.GetUtcNow());
        var process = _h.Build(clock: clock);
        await process.GetRequiredService<RefundService>().RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null), CancellationToken.None);
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        var followUp = process.GetRequiredService<RefundFollowUpService>();

        clock.Now = refund.RequestedAt + Base - TimeSpan.FromTicks(1);
        await followUp.RunAsync(CancellationToken.None);
        Assert.Equal(0, (await RefundAsync(refund)).FollowUpChecks);

        clock.Now = refund.RequestedAt + Base;
        await followUp.RunAsync(CancellationToken.None);
        var asked = await RefundAsync(refund);
        Assert.Equal((1, clock.Now + Base), (asked.FollowUpChecks, asked.NextCheckAt));
    }

    [Fact]
    public async Task A_read_cut_by_the_budget_leaves_its_refund_for_the_next_run_and_the_run_ends_with_its_report()
    {
        await RefundedAsync();
        await RefundedAsync();
        // A second process on the same tables, with a one-second budget and a store whose first refund read hangs.
        var reads = 0;
        var slow = _h.Build(
            s => PaymentCoreHarness.DecorateStore(s, inner => new RacingStore(inner)
            {
                BeforeGetRefund = cancellationToken => ++reads == 1 ? Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken) : Task.CompletedTask,
            }),
            new Dictionary<string, string?> { ["Payments:RefundFollowUpBudget"] = "00:00:01" });
        _h.Clock.Advance(Base);

        var report = await slow.GetRequiredService<RefundFollowUpService>().RunAsync(CancellationToken.None);

        // The cut refund counts as still open; the budget being spent, the second is not reached.
        Assert.Equal((new RefundFollowUpReport(2, 0, 1, 0, 0), 1), (report, reads));
        Assert.All(await Task.WhenAll((await _h.ListOpenRefundsAsync()).Select(RefundAsync)), refund => Assert.Equal(0, refund.FollowUpChecks));
    }

    [Fact]
    public async Task A_run_the_host_stops_during_a_read_stops_there()
    {
        await RefundedAsync();
        using var host = new CancellationTokenSource();
        _store.BeforeGetRefund = async cancellationToken =>
        {
            await host.CancelAsync();
            cancellationToken.ThrowIfCancellationRequested();
        };
        _h.Clock.Advance(Base);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FollowUp.RunAsync(host.Token));
    }

    [Fact]
    public async Task A_read_that_fails_leaves_its_refund_for_the_next_run_and_the_next_refund_is_still_followed()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (_, failing) = await RefundedAsync();
        var (_, followed) = await RefundedAsync();
        _store.BeforeGetRefund = _ =>
        {
            _store.BeforeGetRefund = null;
            throw new Azure.RequestFailedException(503, "the table service is busy");
        };
        _h.Clock.Advance(Base);

        Assert.Equal(new RefundFollowUpReport(2, 0, 2, 0, 0), await FollowUp.RunAsync(CancellationToken.None));

        var checks = new[] { (await RefundAsync(failing)).FollowUpChecks, (await RefundAsync(followed)).FollowUpChecks };
        Assert.Equal([0, 1], checks.Order());
    }

    [Fact]
    public async Task An_open_row_ahead_of_its_refund_is_kept_until_exactly_the_lease_has_passed()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var clock = new StoppedClock(_h.Clock.GetUtcNow());
        RacingStore store = null!;
        var process = _h.Build(s => PaymentCoreHarness.DecorateStore(s, inner => store = new RacingStore(inner)), clock: clock);
        await process.GetRequiredService<RefundService>().RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null), CancellationToken.None);
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        store.MissingRefunds.Add(refund.RefundId);
        var listedAt = Assert.Single(await _h.ListOpenRefundsAsync()).ListedAt;
        var followUp = process.GetRequiredService<RefundFollowUpService>();

        clock.Now = listedAt + TimeSpan.FromMinutes(2); // Payments__ConfirmationLease's default
        await followUp.RunAsync(CancellationToken.None);
        Assert.True(await _h.IsOpenAsync(refund));

        clock.Now += TimeSpan.FromTicks(1);
        await followUp.RunAsync(CancellationToken.None);
        Assert.False(await _h.IsOpenAsync(refund));
    }
}
