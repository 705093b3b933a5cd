using System.Net;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers.SandboxPay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>Issue 9, items 7 and 8: a refund is paid out once and reserved exactly, whatever the retries.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RefundServiceTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PaymentCoreHarness _h = null!;
    private HookedProvider _provider = null!;

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite, s => PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

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
