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
public sealed class RefundFollowUpServiceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Base = TimeSpan.FromMinutes(2); // Payments__ReconcileAfter's default

    private PaymentCoreHarness _h = null!;
    private HookedProvider _provider = null!;

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite, s => PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p)),
            new Dictionary<string, string?> { ["Payments:MaxReconcileFailures"] = "3" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private RefundFollowUpService FollowUp => _h.Services.GetRequiredService<RefundFollowUpService>();

    private async Task<(PaymentAttempt Attempt, RefundRecord Refund)> RefundedAsync(decimal amount = 10m)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        await Record.ExceptionAsync(() => _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, amount, null, null), CancellationToken.None));
        return (attempt, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)));
    }

    private async Task<RefundRecord> RefundAsync(RefundRecord refund) => (await _h.Store.GetRefundAsync(refund.PaymentRef, refund.RefundId))!.Value;

    private async Task<RefundRecord> RefundAsync(OpenRefundEntry entry) => (await _h.Store.GetRefundAsync(entry.PaymentRef, entry.RefundId))!.Value;

    private async Task<List<OpenRefundEntry>> ListOpenAsync()
    {
        var open = new List<OpenRefundEntry>();
        await foreach (var entry in _h.Store.ListOpenRefundsAsync())
        {
            open.Add(entry);
        }
        return open;
    }

    /// <summary>The next check is <paramref name="wait"/> after the run that started at <paramref name="checkedAt"/>
    /// (the test's clock moves with real time, so within the run's few seconds).</summary>
    private void AssertNextCheck(RefundRecord refund, DateTimeOffset checkedAt, TimeSpan wait)
    {
        var next = Assert.NotNull(refund.NextCheckAt);
        Assert.InRange(next, checkedAt + wait, _h.Clock.GetUtcNow() + wait);
    }

    private async Task<bool> OpenAsync(RefundRecord refund)
    {
        await foreach (var entry in _h.Store.ListOpenRefundsAsync())
        {
            if (entry.RefundId == refund.RefundId)
            {
                return true;
            }
        }
        return false;
    }

    [Fact]
    public async Task A_pending_refund_is_looked_up_with_a_doubling_wait_until_it_succeeds()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (attempt, refund) = await RefundedAsync();
        Assert.Equal(RefundState.Pending, refund.State);

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
        Assert.False(await OpenAsync(refund));
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((10m, false), (after.RefundedAmount, after.NeedsAttention));
        Assert.Single(_h.State.SandboxPayRefunds, r => r.Payment == attempt.ProviderPaymentId);
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
        Assert.False(await OpenAsync(refund));
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
        Assert.True(await OpenAsync(refund));
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
        Assert.True(await OpenAsync(refund));
        Assert.Empty(_h.State.SandboxPayRefunds);
    }

    public static TheoryData<string, HttpStatusCode?, RefundState, bool, string?> Repeats => new()
    {
        // The repeat's answer: the refund's state after it, whether it is still on the list, and the message kept.
        { "succeeded", null, RefundState.Succeeded, false, null },
        { "refused", HttpStatusCode.UnprocessableEntity, RefundState.Failed, false, "amount_too_large" },
        { "key in use", HttpStatusCode.Conflict, RefundState.Requested, true, "HTTP 409" },
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
                "refused" => throw new ProviderException("sandboxpay", "refused", status, "amount_too_large"),
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
        Assert.Equal(stillOpen, await OpenAsync(refund));
        Assert.Equal(stillOpen ? new RefundFollowUpReport(1, 0, 1, 0, 0) : new RefundFollowUpReport(1, 1, 0, 0, 0), report);
        var payment = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal(state == RefundState.Failed ? 0m : 10m, payment.RefundedAmount);
        Assert.Equal(state == RefundState.Failed, payment.NeedsAttention);
        if (state == RefundState.Succeeded)
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
        // A second process on the same tables with a one-second budget, whose provider takes longer than that to answer.
        var asked = 0;
        var slow = _h.Build(
            s => PaymentCoreHarness.DecorateProvider(s, p => new HookedProvider(p)
            {
                RefundOverride = async _ =>
                {
                    asked++;
                    await Task.Delay(TimeSpan.FromSeconds(1.5));
                    throw new ProviderException("sandboxpay", "no answer");
                },
            }),
            new Dictionary<string, string?> { ["Payments:RefundFollowUpBudget"] = "00:00:01" });
        _h.Clock.Advance(Base);

        var report = await slow.GetRequiredService<RefundFollowUpService>().RunAsync(CancellationToken.None);

        Assert.Equal((new RefundFollowUpReport(2, 0, 1, 0, 0), 1), (report, asked));
        var checks = (await Task.WhenAll((await ListOpenAsync()).Select(RefundAsync))).Select(r => r.FollowUpChecks).Order();
        Assert.Equal([0, 1], checks);
    }
}
