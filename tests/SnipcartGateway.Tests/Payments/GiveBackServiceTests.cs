using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// The give-back itself (<see cref="GiveBackService"/>), called as the finisher calls it, against Sandbox Pay's real
/// adapter and Azurite: what the caller is told, what the refund record holds after each answer, a pending give-back
/// flagged once at the cap (Payments__MaxReconcileFailures = 3 here), a lost race on the refund or the attempt, and
/// the attention metric a merchant alerts on.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GiveBackServiceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Base = TimeSpan.FromMinutes(2); // Payments__ReconcileAfter's default

    private PaymentCoreHarness _h = null!;
    private HookedProvider _provider = null!;
    private RacingStore _store = null!;
    private MeterListener _listener = null!;
    /// <summary>The reasons of <c>payments.attention</c>, in order.</summary>
    private readonly ConcurrentQueue<string> _attention = new();

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite, s =>
            {
                PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p));
                PaymentCoreHarness.DecorateStore(s, inner => _store = new RacingStore(inner));
            },
            new Dictionary<string, string?> { ["Payments:MaxReconcileFailures"] = "3" });
        var metrics = _h.Services.GetRequiredService<PaymentMetrics>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == metrics.Meter && instrument.Name == "payments.attention")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "reason")
                {
                    _attention.Enqueue((string)tag.Value!);
                }
            }
        });
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _h.DisposeAsync();
    }

    private GiveBackService Service => _h.Services.GetRequiredService<GiveBackService>();

    private Task<FinishResult> RunAsync(string paymentRef) => Service.RunAsync(paymentRef, _provider, CancellationToken.None);

    private async Task<RefundRecord> GiveBackRefundAsync(string paymentRef) =>
        (await _h.Store.GetRefundAsync(paymentRef, GiveBacks.RefundIdFor(paymentRef)))!.Value;

    /// <summary>A payment Sandbox Pay took for another amount than the order's, told "failed" to the waiting shopper
    /// (so Snipcart has its final word), whose give-back was sent at once. With <paramref name="answered"/> false the
    /// provider gave no answer (the give-back stays Requested); else it answered as Sandbox Pay does.</summary>
    private async Task<string> MismatchGivingBackAsync(bool answered)
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _provider.AfterGet = seen => seen with { Amount = new Money(seen.Amount!.Value.Amount - 1m, seen.Amount.Value.Currency) };
        if (!answered)
        {
            _provider.RefundOverride = _ => throw new ProviderException("sandboxpay", "no answer");
        }
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        _provider.RefundOverride = null;
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.NotNull(attempt.ConfirmedState);
        Assert.Equal(FlagCodes.PaymentMismatch, attempt.GiveBackReason);
        return paymentRef;
    }

    /// <summary>The next check is <paramref name="wait"/> after the pass that started at <paramref name="checkedAt"/>
    /// (the test's clock moves with real time).</summary>
    private void AssertNextCheck(PaymentAttempt attempt, DateTimeOffset checkedAt, TimeSpan wait)
    {
        var next = Assert.NotNull(attempt.NextCheckAt);
        Assert.InRange(next, checkedAt + wait, _h.Clock.GetUtcNow() + wait);
    }

    /// <summary>A person looked at the attempt and lowered its flag.</summary>
    private async Task LowerFlagAsync(string paymentRef)
    {
        var read = (await _h.Store.GetAttemptAsync(paymentRef))!;
        read.Value.NeedsAttention = false;
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);
    }

    [Fact]
    public async Task A_payment_it_does_not_know_is_not_found_and_one_that_owes_nothing_is_closed_untouched()
    {
        var asked = 0;
        _provider.BeforeRefund = _ => { asked++; return Task.CompletedTask; };

        var unknown = await RunAsync(PaymentReferences.NewPaymentRef());
        Assert.Equal((FinishOutcome.NotFound, (PaymentAttempt?)null), (unknown.Outcome, unknown.Attempt));

        var (_, paid) = await _h.PaidPaymentAsync();
        var before = (await _h.Store.GetAttemptAsync(paid.PaymentRef))!.Version;
        var kept = await RunAsync(paid.PaymentRef);

        Assert.Equal((FinishOutcome.Closed, paid.PaymentRef), (kept.Outcome, kept.Attempt?.PaymentRef));
        Assert.Equal(before, (await _h.Store.GetAttemptAsync(paid.PaymentRef))!.Version);
        Assert.Empty(await _h.Store.ListRefundsAsync(paid.PaymentRef));
        Assert.Equal(0, asked);
    }

    /// <summary>The provider id the give-back was accepted under as pending (Sandbox Pay's).</summary>
    private const string FirstId = "(first)";

    public static TheoryData<string, RefundState, string, string?, GiveBackState, string[], FinishOutcome> Answers => new()
    {
        // The answer to the repeat of a pending give-back (a provider without refund lookup): what the refund then
        // holds (state, provider refund id, message), where the give-back stands, what the merchant is alerted of,
        // and what the caller is told.
        { "succeeded", RefundState.Succeeded, "re_final", null, GiveBackState.Done, [], FinishOutcome.Confirmed },
        { "failed", RefundState.Failed, "re_final", "insufficient_balance", GiveBackState.Refused, [FlagCodes.RefundRefused], FinishOutcome.Confirmed },
        { "refused with a code", RefundState.Failed, FirstId, "refund_not_allowed", GiveBackState.Refused, [FlagCodes.RefundRefused], FinishOutcome.Confirmed },
        { "refused without a code", RefundState.Failed, FirstId, "HTTP 400", GiveBackState.Refused, [FlagCodes.RefundRefused], FinishOutcome.Confirmed },
        { "still pending", RefundState.Pending, FirstId, null, GiveBackState.Pending, [], FinishOutcome.Confirmed },
        { "no answer", RefundState.Pending, FirstId, null, GiveBackState.Pending, [], FinishOutcome.Unreachable },
        { "no refund API", RefundState.ManualRefundRequired, FirstId, "sandboxpay has no refund API", GiveBackState.ByHand, [FlagCodes.RefundByHand], FinishOutcome.Confirmed },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Each_answer_to_a_pending_give_back_is_recorded_on_its_refund_and_attempt(
        string answer, RefundState state, string providerRefundId, string? message, GiveBackState givenBack, string[] attention, FinishOutcome outcome)
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var paymentRef = await MismatchGivingBackAsync(answered: true);
        var pending = await GiveBackRefundAsync(paymentRef);
        Assert.Equal((RefundState.Pending, 1), (pending.State, pending.FollowUpChecks));
        var firstId = Assert.IsType<string>(pending.ProviderRefundId);
        _provider.CapabilitiesOverride = _provider.Capabilities with { RefundLookup = false, Refunds = answer != "no refund API" };
        var sent = new List<string>();
        _provider.RefundOverride = request =>
        {
            sent.Add(request.RefundRef);
            return answer switch
            {
                "succeeded" => Task.FromResult(new ProviderRefund { ProviderRefundId = "re_final", Status = RefundStatus.Succeeded }),
                "failed" => Task.FromResult(new ProviderRefund { ProviderRefundId = "re_final", Status = RefundStatus.Failed, FailureMessage = "insufficient_balance" }),
                "refused with a code" => throw new ProviderException("sandboxpay", "refused", HttpStatusCode.UnprocessableEntity, "refund_not_allowed"),
                "refused without a code" => throw new ProviderException("sandboxpay", "refused", HttpStatusCode.BadRequest),
                "still pending" => Task.FromResult(new ProviderRefund { ProviderRefundId = firstId, Status = RefundStatus.Pending }),
                _ => throw new ProviderException("sandboxpay", "no answer"),
            };
        };
        _attention.Clear();
        var checkedAt = _h.Clock.GetUtcNow();

        var result = await RunAsync(paymentRef);

        Assert.Equal(outcome, result.Outcome);
        string[] asked = answer == "no refund API" ? [] : [GiveBacks.RefundIdFor(paymentRef)];
        Assert.Equal(asked, sent);
        var refund = await GiveBackRefundAsync(paymentRef);
        Assert.Equal((state, providerRefundId == FirstId ? firstId : providerRefundId, message), (refund.State, refund.ProviderRefundId, refund.FailureMessage));
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(givenBack, attempt.GiveBackState);
        Assert.Equal(attention, _attention);
        if (answer == "still pending")
        {
            // Below the cap: counted, backed off by its count, not flagged.
            Assert.Equal((2, false), (refund.FollowUpChecks, refund.NeedsAttention));
            AssertNextCheck(attempt, checkedAt, 2 * Base);
        }
    }

    public static TheoryData<RefundState, GiveBackState, string[]> FinalWords => new()
    {
        // A final word already on the refund (a pass that stopped before writing the attempt, a person's answer),
        // where the give-back then stands, and what the merchant is alerted of.
        { RefundState.Succeeded, GiveBackState.Done, [] },
        { RefundState.Failed, GiveBackState.Refused, [FlagCodes.RefundRefused] },
        { RefundState.ManualRefundRequired, GiveBackState.ByHand, [FlagCodes.RefundByHand] },
    };

    [Theory]
    [MemberData(nameof(FinalWords))]
    public async Task A_give_back_whose_refund_has_its_final_word_follows_it_without_asking_the_provider(RefundState state, GiveBackState givenBack, string[] attention)
    {
        var paymentRef = await MismatchGivingBackAsync(answered: false);
        var read = (await _h.Store.GetRefundAsync(paymentRef, GiveBacks.RefundIdFor(paymentRef)))!;
        read.Value.State = state;
        read.Value.ProviderRefundId = "re_made";
        await _h.Store.UpdateRefundAsync(read.Value, read.Version);
        var asked = 0;
        _provider.BeforeRefund = _ => { asked++; return Task.CompletedTask; };
        _attention.Clear();

        var result = await RunAsync(paymentRef);

        Assert.Equal((FinishOutcome.Confirmed, givenBack, 0), (result.Outcome, (await _h.AttemptAsync(paymentRef)).GiveBackState, asked));
        Assert.Equal(attention, _attention);
        Assert.Equal((state, "re_made"), ((await GiveBackRefundAsync(paymentRef)).State, (await GiveBackRefundAsync(paymentRef)).ProviderRefundId));
    }

    [Fact]
    public async Task A_give_back_still_pending_at_the_cap_is_flagged_once_and_still_followed_until_given_back()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var paymentRef = await MismatchGivingBackAsync(answered: true);
        // Someone looked at why the payment differed: only the give-back's own cap may raise the flag again.
        await LowerFlagAsync(paymentRef);
        _attention.Clear();

        var checkedAt = _h.Clock.GetUtcNow();
        await RunAsync(paymentRef);
        var second = await GiveBackRefundAsync(paymentRef);
        Assert.Equal((2, false, false), (second.FollowUpChecks, second.NeedsAttention, (await _h.AttemptAsync(paymentRef)).NeedsAttention));
        AssertNextCheck(await _h.AttemptAsync(paymentRef), checkedAt, 2 * Base);
        Assert.Empty(_attention);

        checkedAt = _h.Clock.GetUtcNow();
        await RunAsync(paymentRef);
        var third = await GiveBackRefundAsync(paymentRef);
        var flagged = await _h.AttemptAsync(paymentRef);
        Assert.Equal((3, true, true, GiveBackState.Pending), (third.FollowUpChecks, third.NeedsAttention, flagged.NeedsAttention, flagged.GiveBackState));
        AssertNextCheck(flagged, checkedAt, 4 * Base);
        Assert.Equal([RefundFollowUpPolicy.RefundUnresolved], _attention);

        // Lowered again by a person: more unanswered checks do not raise it again, and the refund is still looked up.
        await LowerFlagAsync(paymentRef);
        await RunAsync(paymentRef);
        Assert.Equal((4, true), ((await GiveBackRefundAsync(paymentRef)).FollowUpChecks, (await GiveBackRefundAsync(paymentRef)).NeedsAttention));
        Assert.False((await _h.AttemptAsync(paymentRef)).NeedsAttention);
        Assert.Equal([RefundFollowUpPolicy.RefundUnresolved], _attention);

        _h.State.SettleSandboxPayRefund((await GiveBackRefundAsync(paymentRef)).ProviderRefundId!, succeeded: true);
        var given = await RunAsync(paymentRef);

        Assert.Equal((FinishOutcome.Confirmed, GiveBackState.Done), (given.Outcome, given.Attempt!.GiveBackState));
        Assert.Equal(RefundState.Succeeded, (await GiveBackRefundAsync(paymentRef)).State);
        Assert.Equal([RefundFollowUpPolicy.RefundUnresolved], _attention);
    }

    [Fact]
    public async Task A_refusal_that_lost_the_race_to_a_recorded_success_leaves_the_money_given_back_and_reserved()
    {
        var paymentRef = await MismatchGivingBackAsync(answered: false);
        var amount = (await _h.AttemptAsync(paymentRef)).RefundedAmount;
        _provider.RefundOverride = _ => throw new ProviderException("sandboxpay", "refused", HttpStatusCode.UnprocessableEntity, "refund_not_allowed");
        // Another pass records the provider's "given back" between this pass's read of the refund and its write.
        _store.BeforeRefundUpdate = async inner =>
        {
            var racing = (await inner.GetRefundAsync(paymentRef, GiveBacks.RefundIdFor(paymentRef)))!;
            racing.Value.State = RefundState.Succeeded;
            racing.Value.ProviderRefundId = "re_racer";
            await inner.UpdateRefundAsync(racing.Value, racing.Version);
        };
        _attention.Clear();

        var result = await RunAsync(paymentRef);

        Assert.Equal((FinishOutcome.Confirmed, GiveBackState.Done), (result.Outcome, result.Attempt!.GiveBackState));
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((GiveBackState.Done, amount, FlagCodes.PaymentMismatch), (attempt.GiveBackState, attempt.RefundedAmount, attempt.FailureCode));
        var refund = await GiveBackRefundAsync(paymentRef);
        Assert.Equal((RefundState.Succeeded, "re_racer", (string?)null), (refund.State, refund.ProviderRefundId, refund.FailureMessage));
        Assert.Empty(_attention);
    }

    [Fact]
    public async Task An_answer_that_lost_the_race_to_a_pending_one_follows_it_backed_off_by_its_checks_and_not_flagged()
    {
        var paymentRef = await MismatchGivingBackAsync(answered: false);
        await LowerFlagAsync(paymentRef);
        _provider.RefundOverride = _ => Task.FromResult(new ProviderRefund { ProviderRefundId = "re_ours", Status = RefundStatus.Succeeded });
        // Another pass, which had looked twice before the provider settled, records "pending" first.
        _store.BeforeRefundUpdate = async inner =>
        {
            var racing = (await inner.GetRefundAsync(paymentRef, GiveBacks.RefundIdFor(paymentRef)))!;
            racing.Value.State = RefundState.Pending;
            racing.Value.ProviderRefundId = "re_racer";
            racing.Value.FollowUpChecks = 2;
            await inner.UpdateRefundAsync(racing.Value, racing.Version);
        };
        _attention.Clear();
        var checkedAt = _h.Clock.GetUtcNow();

        var result = await RunAsync(paymentRef);

        Assert.Equal(FinishOutcome.Confirmed, result.Outcome);
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((GiveBackState.Pending, false), (attempt.GiveBackState, attempt.NeedsAttention));
        AssertNextCheck(attempt, checkedAt, 2 * Base);
        var refund = await GiveBackRefundAsync(paymentRef);
        Assert.Equal((RefundState.Pending, "re_racer", 2, false), (refund.State, refund.ProviderRefundId, refund.FollowUpChecks, refund.NeedsAttention));
        Assert.Empty(_attention);
    }

    [Fact]
    public async Task An_attempt_another_pass_finished_giving_back_meanwhile_is_left_as_that_pass_wrote_it()
    {
        var paymentRef = await MismatchGivingBackAsync(answered: false);
        string? racerVersion = null;
        // Between this pass's write of the refund and its write of the attempt, another pass records the give-back done.
        _store.AfterRefundUpdate = async inner =>
        {
            var racing = (await inner.GetAttemptAsync(paymentRef))!;
            racing.Value.GiveBackState = GiveBackState.Done;
            racerVersion = await inner.UpdateAttemptAsync(racing.Value, racing.Version);
        };
        _attention.Clear();

        var result = await RunAsync(paymentRef);

        Assert.Equal((FinishOutcome.Closed, GiveBackState.Done), (result.Outcome, result.Attempt!.GiveBackState));
        Assert.Equal(racerVersion, (await _h.Store.GetAttemptAsync(paymentRef))!.Version);
        Assert.Equal(RefundState.Succeeded, (await GiveBackRefundAsync(paymentRef)).State);
        Assert.Empty(_attention);
    }

    [Fact]
    public async Task Recording_a_give_back_again_after_its_refund_closed_changes_nothing_and_does_not_list_it_open()
    {
        var paymentRef = await MismatchGivingBackAsync(answered: true);
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(GiveBackState.Done, attempt.GiveBackState);
        var before = await GiveBackRefundAsync(paymentRef);
        // The refunds' follow-up takes the given-back refund off the open list.
        await _h.Services.GetRequiredService<RefundFollowUpService>().RunAsync(CancellationToken.None);
        Assert.DoesNotContain(await _h.ListOpenRefundsAsync(), e => e.PaymentRef == paymentRef);

        await Service.RecordAsync(attempt, new Money(1m, attempt.Amount.Currency), CancellationToken.None);

        Assert.DoesNotContain(await _h.ListOpenRefundsAsync(), e => e.PaymentRef == paymentRef);
        var after = await GiveBackRefundAsync(paymentRef);
        Assert.Equal((RefundState.Succeeded, before.Amount), (after.State, after.Amount));
    }

    [Fact]
    public async Task A_give_back_whose_refund_was_never_recorded_records_it_for_the_orders_amount_and_gives_it_back()
    {
        // A duplicate paid at Sandbox Pay, decided to be given back, whose refund record is missing.
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        var read = (await _h.Store.GetAttemptAsync(paymentRef))!;
        GiveBacks.Decide(read.Value, FlagCodes.DuplicatePayment, _h.Clock.GetUtcNow());
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);
        Assert.Null(await _h.Store.GetRefundAsync(paymentRef, GiveBacks.RefundIdFor(paymentRef)));

        var result = await RunAsync(paymentRef);

        // Never confirmed to Snipcart: the pass closes.
        Assert.Equal((FinishOutcome.Closed, GiveBackState.Done), (result.Outcome, result.Attempt!.GiveBackState));
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((GiveBackState.Done, false), (attempt.GiveBackState, attempt.NeedsAttention));
        var refund = await GiveBackRefundAsync(paymentRef);
        Assert.Equal((RefundState.Succeeded, attempt.Amount), (refund.State, refund.Amount));
        var given = Assert.Single(_h.State.SandboxPayRefunds, r => r.Payment == attempt.ProviderPaymentId);
        Assert.Equal(attempt.Amount.Amount, given.Amount);
    }
}
