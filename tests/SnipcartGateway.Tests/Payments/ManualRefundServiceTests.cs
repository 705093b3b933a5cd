using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// A person's "done" or "dropped" on a refund to make by hand (a provider without a refund API): what each records,
/// what it frees and lowers, and what a person is told when there is nothing (or no longer anything) to resolve.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ManualRefundServiceTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private ManualRefundService Manual => _h.Services.GetRequiredService<ManualRefundService>();

    private Task<RefundRecord> ResolveAsync(string paymentRef, string? refundId, ManualRefundOutcome outcome, string? note = null) =>
        Manual.ResolveAsync(new(paymentRef, refundId, outcome, "support-key", note), CancellationToken.None);

    private Task<GatewayProblemException> RefusedAsync(string paymentRef, string? refundId, ManualRefundOutcome outcome) =>
        Assert.ThrowsAsync<GatewayProblemException>(() => ResolveAsync(paymentRef, refundId, outcome));

    /// <summary>A paid payment on a provider without a refund API, with refunds Snipcart asked for, each recorded to
    /// make by hand, its amount reserved, and the payment flagged by the timer.</summary>
    private async Task<(PaymentAttempt Attempt, IReadOnlyList<RefundRecord> Refunds)> ByHandAsync(params decimal[] amounts)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        _provider.CapabilitiesOverride = _provider.Capabilities with { Refunds = false, RefundLookup = false };
        foreach (var amount in amounts)
        {
            var refused = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, amount, null, null), CancellationToken.None));
            Assert.Equal("refund_not_supported", refused.Code);
        }
        await _h.Services.GetRequiredService<RefundFollowUpService>().RunAsync(CancellationToken.None);
        var refunds = (await _h.Store.ListRefundsAsync(attempt.PaymentRef)).OrderBy(r => r.Amount.Amount).ToList();
        Assert.All(refunds, r => Assert.Equal(RefundState.ManualRefundRequired, r.State));
        var flagged = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((true, RefundFollowUpPolicy.ManualRefundRequired, amounts.Sum()), (flagged.NeedsAttention, flagged.FailureCode, flagged.RefundedAmount));
        return (attempt, refunds);
    }

    [Theory]
    [InlineData(ManualRefundOutcome.Done, RefundState.Succeeded, 10)]
    [InlineData(ManualRefundOutcome.Dropped, RefundState.Failed, 0)]
    public async Task Done_keeps_the_amount_refunded_dropped_frees_it_and_either_lowers_the_flag_and_ends_the_follow_up(ManualRefundOutcome outcome, RefundState state, int refunded)
    {
        var (attempt, refunds) = await ByHandAsync(10m);
        var before = _h.Clock.GetUtcNow();

        var resolved = await ResolveAsync(attempt.PaymentRef, null, outcome, "made in the dashboard");

        var stored = (await _h.Store.GetRefundAsync(attempt.PaymentRef, refunds[0].RefundId))!.Value;
        foreach (var refund in new[] { resolved, stored })
        {
            Assert.Equal((state, (ManualRefundOutcome?)outcome, "support-key", "made in the dashboard"), (refund.State, refund.Resolution, refund.ResolvedBy, refund.ResolutionNote));
            Assert.InRange(refund.ResolvedAt!.Value, before, _h.Clock.GetUtcNow());
        }
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal(((decimal)refunded, false), (after.RefundedAmount, after.NeedsAttention));
        Assert.False(await _h.IsOpenAsync(refunds[0]));
    }

    [Fact]
    public async Task The_flag_stays_raised_until_the_last_refund_by_hand_is_resolved()
    {
        var (attempt, refunds) = await ByHandAsync(5m, 7m);

        await ResolveAsync(attempt.PaymentRef, refunds[0].RefundId, ManualRefundOutcome.Done);
        var one = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((true, RefundFollowUpPolicy.ManualRefundRequired, 12m), (one.NeedsAttention, one.FailureCode, one.RefundedAmount));
        Assert.True(await _h.IsOpenAsync(refunds[1]));

        await ResolveAsync(attempt.PaymentRef, refunds[1].RefundId, ManualRefundOutcome.Dropped);
        var both = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((false, 5m), (both.NeedsAttention, both.RefundedAmount));
    }

    [Fact]
    public async Task A_flag_raised_for_another_reason_is_left_as_it_is()
    {
        var (attempt, _) = await ByHandAsync(10m);
        var read = (await _h.Store.GetAttemptAsync(attempt.PaymentRef))!;
        read.Value.FailureCode = "payment_mismatch";
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);

        await ResolveAsync(attempt.PaymentRef, null, ManualRefundOutcome.Done);

        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((true, "payment_mismatch"), (after.NeedsAttention, after.FailureCode));
    }

    [Fact]
    public async Task Two_refunds_by_hand_need_their_id_and_an_empty_id_counts_as_none()
    {
        var (attempt, _) = await ByHandAsync(5m, 7m);

        foreach (var refundId in new[] { null, "" })
        {
            var problem = await RefusedAsync(attempt.PaymentRef, refundId, ManualRefundOutcome.Done);
            Assert.Equal((409, "refund_id_required", "This payment has 2 refunds to make by hand: name one with refundId."), (problem.Status, problem.Code, problem.Title));
        }
        Assert.Equal(12m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Fact]
    public async Task A_second_click_is_told_the_refund_is_already_resolved_and_which_one_with_or_without_its_id()
    {
        var (attempt, refunds) = await ByHandAsync(5m, 7m);
        await ResolveAsync(attempt.PaymentRef, refunds[1].RefundId, ManualRefundOutcome.Dropped);
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        await ResolveAsync(attempt.PaymentRef, refunds[0].RefundId, ManualRefundOutcome.Done);

        var named = await RefusedAsync(attempt.PaymentRef, refunds[1].RefundId, ManualRefundOutcome.Done);
        // Without an id: the one resolved last.
        var unnamed = await RefusedAsync(attempt.PaymentRef, null, ManualRefundOutcome.Done);

        Assert.Equal((409, "refund_already_resolved", "This refund is no longer waiting to be made by hand (it is Failed, marked dropped)."), (named.Status, named.Code, named.Title));
        Assert.Equal(refunds[1].RefundId, named.Extensions["refundId"]);
        Assert.Equal("This refund is no longer waiting to be made by hand (it is Succeeded, marked done).", unnamed.Title);
        Assert.Equal(refunds[0].RefundId, unnamed.Extensions["refundId"]);
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((5m, false), (after.RefundedAmount, after.NeedsAttention));
    }

    [Fact]
    public async Task A_click_that_loses_the_race_to_another_is_told_already_resolved_and_frees_nothing_twice()
    {
        var (attempt, refunds) = await ByHandAsync(10m);
        // The other click writes its "dropped" between this click's read and its write.
        _store.BeforeRefundUpdate = async _ =>
        {
            var other = _h.Build();
            await other.GetRequiredService<ManualRefundService>().ResolveAsync(new(attempt.PaymentRef, null, ManualRefundOutcome.Dropped, "other-key", null), CancellationToken.None);
        };

        var problem = await RefusedAsync(attempt.PaymentRef, null, ManualRefundOutcome.Dropped);

        Assert.Equal((409, "refund_already_resolved"), (problem.Status, problem.Code));
        Assert.Equal(refunds[0].RefundId, problem.Extensions["refundId"]);
        var refund = (await _h.Store.GetRefundAsync(attempt.PaymentRef, refunds[0].RefundId))!.Value;
        Assert.Equal(("other-key", RefundState.Failed), (refund.ResolvedBy, refund.State));
        Assert.Equal(0m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    public static TheoryData<string, string?, int, string, string> NothingToResolve => new()
    {
        // What is asked (payment, refund id), and the problem a person gets.
        { "unknown payment", null, 404, "payment_not_found", "There is no such payment." },
        { "unknown refund", "rf_doesnotexist", 404, "refund_not_found", "This payment has no such refund." },
        { "no refund by hand ever", null, 409, "no_manual_refund", "This payment has no refund waiting to be made by hand." },
    };

    [Theory]
    [MemberData(nameof(NothingToResolve))]
    public async Task Nothing_to_resolve_is_a_clear_problem_and_changes_nothing(string what, string? refundId, int status, string code, string detail)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var paymentRef = what == "unknown payment" ? "pay_doesnotexist0000000000000" : attempt.PaymentRef;

        foreach (var outcome in new[] { ManualRefundOutcome.Done, ManualRefundOutcome.Dropped })
        {
            var problem = await RefusedAsync(paymentRef, refundId, outcome);
            Assert.Equal((status, code, detail), (problem.Status, problem.Code, problem.Title));
        }
        var after = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((0m, false), (after.RefundedAmount, after.NeedsAttention));
        Assert.Empty(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
    }

    [Fact]
    public async Task Money_to_give_back_by_hand_cannot_be_dropped_and_the_person_is_told_why()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SnipcartGateway.Sandbox.SandboxPayStatuses.Succeeded);
        _provider.AfterGet = seen => seen with { Amount = new Money(seen.Amount!.Value.Amount - 1m, seen.Amount.Value.Currency) };
        _provider.CapabilitiesOverride = new SnipcartGateway.Providers.ProviderCapabilities(Refunds: false, PartialRefunds: false);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        var problem = await RefusedAsync(paymentRef, null, ManualRefundOutcome.Dropped);

        Assert.Equal((409, "give_back_cannot_be_dropped"), (problem.Status, problem.Code));
        Assert.Equal("This is money the order did not keep, owed to the shopper: give it back in the provider's dashboard and mark it done (if it went back another way, say how in the note).", problem.Title);
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(RefundState.ManualRefundRequired, (await _h.Store.GetRefundAsync(paymentRef, attempt.GiveBackRefundId!))!.Value.State);
    }

    [Fact]
    public async Task A_refund_the_provider_made_is_no_refund_by_hand_and_the_person_is_told_its_state()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        await _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null), CancellationToken.None);
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));

        var problem = await RefusedAsync(attempt.PaymentRef, refund.RefundId, ManualRefundOutcome.Dropped);

        Assert.Equal((409, "refund_already_resolved", "This refund is no longer waiting to be made by hand (it is Succeeded)."), (problem.Status, problem.Code, problem.Title));
        Assert.Equal(10m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }
}
