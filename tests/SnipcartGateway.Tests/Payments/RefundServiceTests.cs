using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.SandboxPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>Issue 9, items 7 and 8: a refund is paid out once and reserved exactly, whatever the retries.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RefundServiceTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private Task<string> RefundAsync(PaymentAttempt attempt, decimal amount) =>
        _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, amount, null, null), CancellationToken.None);

    [Fact]
    public async Task A_refusal_seen_by_a_refund_and_its_concurrent_retry_releases_the_reservation_once()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        // The provider refuses, slowly: Snipcart's retry of the same refund arrives while the first is in flight,
        // and both see the refusal.
        var callers = 0;
        var bothIn = new TaskCompletionSource();
        _provider.BeforeRefund = async _ =>
        {
            if (Interlocked.Increment(ref callers) == 2)
            {
                bothIn.TrySetResult();
            }
            await bothIn.Task.WaitAsync(TimeSpan.FromSeconds(10));
            throw new SandboxPayException("Sandbox Pay answered 400.", HttpStatusCode.BadRequest, new SandboxPayError("amount_exceeds_refundable", null, null));
        };

        var first = RefundAsync(attempt, 30m);
        await WaitUntilAsync(() => Volatile.Read(ref callers) == 1);
        var retry = RefundAsync(attempt, 30m);
        foreach (var request in new[] { first, retry })
        {
            var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => request);
            Assert.Equal("refund_failed", problem.Code);
        }
        Assert.Equal(2, callers);

        // Released once: nothing is refunded, and nothing "less than nothing" either.
        Assert.Equal(0m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);

        // So the whole payment can still be refunded, and no more.
        _provider.BeforeRefund = null;
        await RefundAsync(attempt, attempt.Amount.Amount);
        var tooMuch = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 1m));
        Assert.Equal("amount_exceeds_refundable", tooMuch.Code);
    }

    [Fact]
    public async Task A_provider_conflict_is_not_a_refusal_and_the_retry_refunds_under_the_same_key()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var keys = new List<string>();
        _provider.BeforeRefund = request =>
        {
            keys.Add(request.RefundRef);
            // "This idempotency key is in use": the provider is still working on the first try.
            return keys.Count == 1
                ? throw new SandboxPayException("Sandbox Pay answered 409.", HttpStatusCode.Conflict, new SandboxPayError("idempotency_key_in_use", null, null))
                : Task.CompletedTask;
        };

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 30m));
        Assert.Equal("refund_unconfirmed", problem.Code);
        // Still reserved: the refund may have happened.
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);

        // Snipcart retries: the provider is asked again under the same key, and refunds once.
        var refundId = await RefundAsync(attempt, 30m);
        Assert.Equal(problem.Extensions["refundId"], refundId);
        Assert.Equal([refundId, refundId], keys);
        Assert.Single(_h.State.SandboxPayRefunds);
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Fact]
    public async Task A_retry_of_an_earlier_refund_is_recognised_after_a_later_refund_of_another_amount()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var first = await RefundAsync(attempt, 10m);
        var second = await RefundAsync(attempt, 20m);
        Assert.NotEqual(first, second);

        // Snipcart retries the first refund (its answer was lost) after the second went through.
        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        var retried = await RefundAsync(attempt, 10m);

        Assert.Equal(first, retried);
        Assert.Equal([10m, 20m], _h.State.SandboxPayRefunds.Select(r => r.Amount).ToArray());
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);

        // Outside the window the same amount is a new refund.
        _h.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.NotEqual(first, await RefundAsync(attempt, 10m));
        Assert.Equal(3, _h.State.SandboxPayRefunds.Count);
    }

    [Fact]
    public async Task A_late_refusal_of_a_refund_its_retry_completed_does_not_release_the_reservation()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var callers = 0;
        var retryDone = new TaskCompletionSource();
        _provider.BeforeRefund = async _ =>
        {
            if (Interlocked.Increment(ref callers) == 1)
            {
                // The first try's answer comes last, and it is a 4xx (a provider that does not replay a key's
                // completed result to a concurrent request, or a transient 4xx).
                await retryDone.Task.WaitAsync(TimeSpan.FromSeconds(20));
                throw new SandboxPayException("Sandbox Pay answered 400.", HttpStatusCode.BadRequest, new SandboxPayError("refund_in_progress", null, null));
            }
        };

        var first = RefundAsync(attempt, 30m);
        await WaitUntilAsync(() => Volatile.Read(ref callers) == 1);
        var refundId = await RefundAsync(attempt, 30m); // Snipcart's retry: same key, the provider refunds
        retryDone.SetResult();
        // The refusal lost to the recorded success: the first request answers with the refund too.
        Assert.Equal(refundId, await first);

        var refunds = await _h.Store.ListRefundsAsync(attempt.PaymentRef);
        Assert.Equal(RefundState.Succeeded, Assert.Single(refunds, r => r.RefundId == refundId).State);
        // 30 were refunded at the provider: they stay counted.
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
        Assert.Single(_h.State.SandboxPayRefunds);
    }

    [Fact]
    public async Task A_refusal_recorded_before_the_same_keys_success_does_not_let_a_partial_refund_be_paid_twice()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var callers = 0;
        var retryIn = new TaskCompletionSource();
        var firstDone = new TaskCompletionSource();
        _provider.BeforeRefund = async _ =>
        {
            if (Interlocked.Increment(ref callers) == 1)
            {
                await retryIn.Task.WaitAsync(TimeSpan.FromSeconds(20));
                throw new SandboxPayException("Sandbox Pay answered 400.", HttpStatusCode.BadRequest, new SandboxPayError("refund_in_progress", null, null));
            }
            retryIn.TrySetResult();
            await firstDone.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the retry's success is written second
        };

        var first = RefundAsync(attempt, 30m);
        await WaitUntilAsync(() => Volatile.Read(ref callers) == 1);
        var retry = RefundAsync(attempt, 30m);
        var refused = await Assert.ThrowsAsync<GatewayProblemException>(() => first);
        Assert.Equal("refund_failed", refused.Code);
        Assert.Equal(422, refused.Status);
        firstDone.SetResult();
        var refundId = await retry;

        _provider.BeforeRefund = null;
        // The success overwrote the refusal, and the amount the refusal gave back is counted again.
        var record = (await _h.Store.ListRefundsAsync(attempt.PaymentRef)).Single(r => r.RefundId == refundId);
        Assert.Equal(RefundState.Succeeded, record.State);
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);

        // Snipcart saw refund_failed for one of the two requests; the merchant asks again for the same 30:
        // that is the refund already made, not a new one.
        Assert.Equal(refundId, await RefundAsync(attempt, 30m));
        Assert.Equal(30m, _h.State.FindSandboxPayPaymentByReference(attempt.PaymentRef)!.RefundedAmount);
        Assert.Single(_h.State.SandboxPayRefunds);
    }

    [Fact]
    public async Task A_success_after_the_freed_amount_was_taken_again_is_counted_and_flagged()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var whole = attempt.Amount.Amount;
        var thirties = 0;
        var retryIn = new TaskCompletionSource();
        var otherIn = new TaskCompletionSource();
        var retryDone = new TaskCompletionSource();
        _provider.BeforeRefund = async request =>
        {
            if (request.Amount.Amount != 30m)
            {
                // Another refund, made with the amount the refusal freed: it reaches the provider last.
                otherIn.TrySetResult();
                await retryDone.Task.WaitAsync(TimeSpan.FromSeconds(20));
                return;
            }
            if (Interlocked.Increment(ref thirties) == 1)
            {
                await retryIn.Task.WaitAsync(TimeSpan.FromSeconds(20));
                throw new SandboxPayException("Sandbox Pay answered 400.", HttpStatusCode.BadRequest, new SandboxPayError("refund_in_progress", null, null));
            }
            retryIn.TrySetResult();
            await otherIn.Task.WaitAsync(TimeSpan.FromSeconds(20)); // the retry's success comes after the other refund took the amount
        };

        var first = RefundAsync(attempt, 30m);
        await WaitUntilAsync(() => Volatile.Read(ref thirties) == 1);
        var retry = RefundAsync(attempt, 30m);
        await Assert.ThrowsAsync<GatewayProblemException>(() => first);
        var other = RefundAsync(attempt, whole); // the refusal freed it all: the whole payment is refundable
        var refundId = await retry;

        // 30 were refunded after all: counted again, beyond what was paid while the other refund is in flight.
        var counted = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal(whole + 30m, counted.RefundedAmount);
        Assert.True(counted.NeedsAttention);
        Assert.Equal(RefundState.Succeeded, (await _h.Store.ListRefundsAsync(attempt.PaymentRef)).Single(r => r.RefundId == refundId).State);

        // The provider refuses the other refund (only whole - 30 is left there); its release leaves the 30.
        retryDone.SetResult();
        Assert.Equal("refund_failed", (await Assert.ThrowsAsync<GatewayProblemException>(() => other)).Code);
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
        Assert.Equal(30m, _h.State.FindSandboxPayPaymentByReference(attempt.PaymentRef)!.RefundedAmount);
    }

    [Fact]
    public async Task What_is_left_can_be_refunded_to_the_cent_and_not_one_cent_more()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var whole = attempt.Amount.Amount;
        await RefundAsync(attempt, 10m);
        var left = whole - 10m;

        // One minor unit more than what is left is refused, and reserves nothing.
        var tooMuch = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, left + 0.01m));
        Assert.Equal("amount_exceeds_refundable", tooMuch.Code);
        Assert.Equal(10m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);

        // Exactly what is left goes through, and then nothing is left, not even a cent.
        await RefundAsync(attempt, left);
        Assert.Equal(whole, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
        var oneCent = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 0.01m));
        Assert.Equal("amount_exceeds_refundable", oneCent.Code);
        Assert.Equal([10m, left], _h.State.SandboxPayRefunds.Select(r => r.Amount).ToArray());
    }

    [Theory]
    [InlineData("amount_too_large", "amount_too_large")]
    [InlineData(null, "HTTP 400")]
    public async Task A_refusal_tells_the_caller_the_providers_reason_and_gives_the_amount_back(string? errorCode, string reason)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        _provider.BeforeRefund = _ => throw new ProviderException("sandboxpay", "Sandbox Pay answered 400.", HttpStatusCode.BadRequest, errorCode);

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 30m));

        Assert.Equal((422, "refund_failed", $"Sandbox Pay (test only) refused the refund ({reason})."), (problem.Status, problem.Code, problem.Message));
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal((RefundState.Failed, reason), (refund.State, refund.FailureMessage));
        Assert.Equal(0m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Theory]
    [InlineData(503, "HTTP 503")]
    [InlineData(null, "no answer")]
    public async Task A_refund_without_an_answer_stays_reserved_and_the_caller_is_asked_to_retry(int? status, string recorded)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        _provider.BeforeRefund = _ => throw new ProviderException("sandboxpay", "no answer", (HttpStatusCode?)status);

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 30m));

        Assert.Equal((502, "refund_unconfirmed", "Sandbox Pay (test only) did not confirm the refund. Try again: it will not be refunded twice."),
            (problem.Status, problem.Code, problem.Message));
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal(refund.RefundId, problem.Extensions["refundId"]);
        Assert.Equal((RefundState.Requested, recorded), (refund.State, refund.FailureMessage));
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Fact]
    public async Task A_provider_that_only_refunds_whole_payments_refuses_a_part_and_refunds_the_whole()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        _provider.CapabilitiesOverride = _provider.Capabilities with { PartialRefunds = false };

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 30m));
        Assert.Equal((422, "partial_refund_not_supported", "Sandbox Pay (test only) can only refund the whole payment."), (problem.Status, problem.Code, problem.Message));
        Assert.Empty(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal(0m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);

        var refundId = await RefundAsync(attempt, attempt.Amount.Amount);
        Assert.Equal(refundId, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).RefundId);
        Assert.Equal(attempt.Amount.Amount, Assert.Single(_h.State.SandboxPayRefunds).Amount);
    }

    [Fact]
    public async Task A_provider_without_a_refund_api_has_the_refund_recorded_for_the_merchant_and_sent_nowhere()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        _provider.CapabilitiesOverride = _provider.Capabilities with { Refunds = false };
        var sent = 0;
        _provider.BeforeRefund = _ => { sent++; return Task.CompletedTask; };
        const string Told = "Sandbox Pay (test only) has no refund API: the refund must be made in Sandbox Pay (test only)'s own dashboard. This request is recorded for the merchant; no money was moved.";

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 30m));

        Assert.Equal((422, "refund_not_supported", Told), (problem.Status, problem.Code, problem.Message));
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal(refund.RefundId, problem.Extensions["refundId"]);
        Assert.Equal(RefundState.ManualRefundRequired, refund.State);
        // Counted: the merchant makes it by hand.
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);

        // Snipcart's retry gets the same answer for the same refund.
        var again = await Assert.ThrowsAsync<GatewayProblemException>(() => RefundAsync(attempt, 30m));
        Assert.Equal(("refund_not_supported", (object?)refund.RefundId), (again.Code, again.Extensions["refundId"]));
        Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal(0, sent);
        Assert.Empty(_h.State.SandboxPayRefunds);
    }

    [Fact]
    public async Task A_refund_that_loses_its_reservation_race_is_marked_superseded_and_the_request_reserves_again()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        RacingStore store = null!;
        var refunds = _h.Build(s => PaymentCoreHarness.DecorateStore(s, inner => store = new RacingStore(inner))).GetRequiredService<RefundService>();
        store.ConflictOnce(a => a.ReservedRefundIds.Count > 0);

        var refundId = await refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 30m, null, null), CancellationToken.None);

        Assert.Equal(1, store.Conflicts);
        var records = await _h.Store.ListRefundsAsync(attempt.PaymentRef);
        Assert.Equal(2, records.Count);
        var superseded = Assert.Single(records, r => r.RefundId != refundId);
        Assert.Equal((RefundState.Failed, "Superseded by a concurrent request."), (superseded.State, superseded.FailureMessage));
        Assert.Equal(RefundState.Succeeded, Assert.Single(records, r => r.RefundId == refundId).State);
        var counted = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal(30m, counted.RefundedAmount);
        Assert.Equal(refundId, Assert.Single(counted.ReservedRefundIds));
        Assert.Equal(refundId, Assert.Single(_h.State.SandboxPayRefunds).IdempotencyKey);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    [InlineData(true, false)]
    public async Task A_retry_answered_after_the_first_tries_refusal_was_recorded_adopts_that_refusal(bool answeredPendingFirst, bool retryGetsNoAnswer)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        if (answeredPendingFirst)
        {
            // The provider took the refund in and has not said yet how it ends: both requests below are retries.
            _provider.RefundOverride = _ => Task.FromResult(new ProviderRefund { ProviderRefundId = "re_pending", Status = RefundStatus.Pending });
            await RefundAsync(attempt, 30m);
            _provider.RefundOverride = null;
        }
        var callers = 0;
        var retryIn = new TaskCompletionSource();
        var firstAnswered = new TaskCompletionSource();
        _provider.BeforeRefund = async _ =>
        {
            if (Interlocked.Increment(ref callers) == 1)
            {
                await retryIn.Task.WaitAsync(TimeSpan.FromSeconds(20));
                throw new ProviderException("sandboxpay", "Sandbox Pay answered 400.", HttpStatusCode.BadRequest, "first_reason");
            }
            retryIn.TrySetResult();
            // The retry's answer comes after the first try's refusal was recorded and its amount given back.
            await firstAnswered.Task.WaitAsync(TimeSpan.FromSeconds(20));
            throw retryGetsNoAnswer
                ? new ProviderException("sandboxpay", "Sandbox Pay answered 503.", HttpStatusCode.ServiceUnavailable)
                : new ProviderException("sandboxpay", "Sandbox Pay answered 400.", HttpStatusCode.BadRequest, "second_reason");
        };

        var first = RefundAsync(attempt, 30m);
        await WaitUntilAsync(() => Volatile.Read(ref callers) == 1);
        var retry = RefundAsync(attempt, 30m);
        var refused = await Assert.ThrowsAsync<GatewayProblemException>(() => first);
        Assert.Equal((422, "Sandbox Pay (test only) refused the refund (first_reason)."), (refused.Status, refused.Message));
        firstAnswered.SetResult();
        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => retry);

        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        if (retryGetsNoAnswer)
        {
            // It knows nothing more: it does not say "refused", nor overwrite the refusal.
            Assert.Equal((502, "refund_unconfirmed", (object?)refund.RefundId), (problem.Status, problem.Code, problem.Extensions["refundId"]));
        }
        else
        {
            // The first answer stands: both callers are told the same reason.
            Assert.Equal((422, "refund_failed", refused.Message), (problem.Status, problem.Code, problem.Message));
        }
        Assert.Equal(2, callers);
        Assert.Equal((RefundState.Failed, "first_reason"), (refund.State, refund.FailureMessage));
        // Given back once, by the first try.
        Assert.Equal(0m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Fact]
    public async Task A_refusal_overturned_after_its_amount_was_refunded_again_counts_both_and_a_retry_gets_the_latest()
    {
        var (_, attempt) = await _h.PaidPaymentAsync(unitPrice: 25m);
        var whole = attempt.Amount.Amount;
        var half = whole / 2;
        var callers = 0;
        var retryIn = new TaskCompletionSource();
        var secondRefundDone = new TaskCompletionSource();
        _provider.BeforeRefund = async _ =>
        {
            switch (Interlocked.Increment(ref callers))
            {
                case 1: // the first try: refused once the retry is in
                    await retryIn.Task.WaitAsync(TimeSpan.FromSeconds(20));
                    throw new ProviderException("sandboxpay", "Sandbox Pay answered 400.", HttpStatusCode.BadRequest, "refund_in_progress");
                case 2: // its retry: refunded, but answered after another refund took the freed amount
                    retryIn.TrySetResult();
                    await secondRefundDone.Task.WaitAsync(TimeSpan.FromSeconds(20));
                    break;
            }
        };

        var first = RefundAsync(attempt, half);
        await WaitUntilAsync(() => Volatile.Read(ref callers) == 1);
        var retry = RefundAsync(attempt, half);
        Assert.Equal("refund_failed", (await Assert.ThrowsAsync<GatewayProblemException>(() => first)).Code);
        // The merchant asks for the same amount again: a new refund, since the first was refused.
        _h.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await RefundAsync(attempt, half);
        secondRefundDone.SetResult();
        var overturned = await retry;
        Assert.NotEqual(overturned, second);

        // Both were refunded: counted in full, which is exactly what was paid, so nothing for the merchant to look at.
        var counted = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((whole, false), (counted.RefundedAmount, counted.NeedsAttention));
        Assert.Equal([half, half], _h.State.SandboxPayRefunds.Select(r => r.Amount).ToArray());

        // A retry of that amount within the window is taken for the latest refund of it.
        Assert.Equal(second, await RefundAsync(attempt, half));
        Assert.Equal(2, _h.State.SandboxPayRefunds.Count);
    }

    [Fact]
    public async Task A_retry_that_finds_its_refund_completed_meanwhile_answers_without_asking_the_provider_again()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        HookedProvider provider = null!;
        RacingStore store = null!;
        var refunds = _h.Build(s =>
        {
            PaymentCoreHarness.DecorateProvider(s, p => provider = new HookedProvider(p));
            PaymentCoreHarness.DecorateStore(s, inner => store = new RacingStore(inner));
        }).GetRequiredService<RefundService>();
        var asked = 0;
        provider.RefundOverride = _ =>
        {
            asked++;
            return Task.FromResult(new ProviderRefund { ProviderRefundId = "re_1", Status = RefundStatus.Pending });
        };
        var command = new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 30m, null, null);
        var refundId = await refunds.RefundAsync(command, CancellationToken.None);

        // Snipcart retries; just after the retry found the pending refund, the provider's confirmation is recorded
        // (the refunds' follow-up, another instance).
        store.AfterListRefunds = async () =>
        {
            store.AfterListRefunds = null;
            var pending = (await _h.Store.GetRefundAsync(attempt.PaymentRef, refundId))!;
            pending.Value.State = RefundState.Succeeded;
            await _h.Store.UpdateRefundAsync(pending.Value, pending.Version);
        };
        Assert.Equal(refundId, await refunds.RefundAsync(command, CancellationToken.None));

        Assert.Equal(1, asked);
        Assert.Equal(RefundState.Succeeded, (await _h.Store.GetRefundAsync(attempt.PaymentRef, refundId))!.Value.State);
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Fact]
    public async Task A_retry_of_a_refund_recorded_before_reserved_refunds_were_listed_is_still_recognised()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var refundId = await RefundAsync(attempt, 30m);
        // An attempt written before ReservedRefundIds existed: only LastRefundId names the refund.
        var read = (await _h.Store.GetAttemptAsync(attempt.PaymentRef))!;
        read.Value.ReservedRefundIds.Clear();
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);

        Assert.Equal(refundId, await RefundAsync(attempt, 30m));

        Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Single(_h.State.SandboxPayRefunds);
        Assert.Equal(30m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    [Fact]
    public async Task The_same_amount_exactly_at_the_end_of_the_retry_window_is_a_retry_and_a_moment_later_a_new_refund()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        var clock = new StoppedClock(_h.Clock.GetUtcNow());
        var refunds = _h.Build(clock: clock).GetRequiredService<RefundService>();
        var command = new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null);
        var refundId = await refunds.RefundAsync(command, CancellationToken.None);

        clock.Now += new PaymentsOptions().RefundRetryWindow;
        Assert.Equal(refundId, await refunds.RefundAsync(command, CancellationToken.None));
        Assert.Single(_h.State.SandboxPayRefunds);

        clock.Now += TimeSpan.FromTicks(1);
        Assert.NotEqual(refundId, await refunds.RefundAsync(command, CancellationToken.None));
        Assert.Equal(2, _h.State.SandboxPayRefunds.Count);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(10);
        }
    }
}
