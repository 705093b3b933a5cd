using System.Net;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
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
