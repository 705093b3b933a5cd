using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// The session's side of exactly-once: who may tell Snipcart for a session, for how long, and what a returning
/// shopper of a session another attempt paid is sent to.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionClaimsTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private SessionClaims Claims => _h.Services.GetRequiredService<SessionClaims>();

    /// <summary>Two attempts started on one Snipcart session (the first cancelled so the second may start).</summary>
    private async Task<(PaymentAttempt First, PaymentAttempt Second)> TwoAttemptsAsync()
    {
        var (link, sessionId, first) = await _h.StartWithLinkAsync();
        await _h.Services.GetRequiredService<ShopperCancellation>().CancelFromLinkAsync(first, link, CancellationToken.None);
        var second = await _h.Checkout.StartAsync(link, CancellationToken.None);
        Assert.Equal(sessionId, (await _h.AttemptAsync(second.PaymentRef)).SessionId);
        return (await _h.AttemptAsync(first), await _h.AttemptAsync(second.PaymentRef));
    }

    private async Task<PaymentSessionRecord> SessionAsync(string sessionId) => (await _h.Store.GetOrAddSessionAsync(sessionId)).Value;

    private async Task WriteSessionAsync(string sessionId, Action<PaymentSessionRecord> change)
    {
        var read = await _h.Store.GetOrAddSessionAsync(sessionId);
        change(read.Value);
        await _h.Store.UpdateSessionAsync(read.Value, read.Version);
    }

    [Theory]
    [InlineData(SnipcartPaymentState.Processed, true)]
    [InlineData(SnipcartPaymentState.Processing, false)]
    [InlineData(SnipcartPaymentState.Failed, false)]
    public async Task A_claim_holds_the_session_for_its_lease_and_only_processed_marks_it_paid(SnipcartPaymentState state, bool paid)
    {
        var (_, attempt) = await TwoAttemptsAsync();
        var before = _h.Clock.GetUtcNow();

        Assert.Equal(SessionAnswer.Ours, await Claims.ClaimAsync(attempt, state, Lease, CancellationToken.None));

        var session = await SessionAsync(attempt.SessionId);
        Assert.Equal(attempt.PaymentRef, session.ConfirmingPaymentRef);
        Assert.InRange(session.ConfirmingUntil!.Value, before + Lease, _h.Clock.GetUtcNow() + Lease);
        Assert.Equal(paid ? attempt.PaymentRef : null, session.ProcessedPaymentRef);
    }

    [Fact]
    public async Task A_session_another_attempt_paid_is_not_claimed_and_a_peek_says_so()
    {
        var (first, second) = await TwoAttemptsAsync();
        await WriteSessionAsync(first.SessionId, s => s.ProcessedPaymentRef = first.PaymentRef);

        Assert.Equal(SessionAnswer.PaidByAnother, await Claims.ClaimAsync(second, SnipcartPaymentState.Processing, Lease, CancellationToken.None));
        Assert.Equal(SessionAnswer.PaidByAnother, await Claims.PeekAsync(second, CancellationToken.None));
        // The attempt that paid it may speak again (a processed whose answer was lost).
        Assert.Equal(SessionAnswer.Unpaid, await Claims.PeekAsync(first, CancellationToken.None));
        Assert.Equal(SessionAnswer.Ours, await Claims.ClaimAsync(first, SnipcartPaymentState.Processed, Lease, CancellationToken.None));
        Assert.Equal(first.PaymentRef, (await SessionAsync(first.SessionId)).ConfirmingPaymentRef);
    }

    [Fact]
    public async Task An_unpaid_session_is_peeked_at_as_unpaid()
    {
        var (first, second) = await TwoAttemptsAsync();

        Assert.Equal((SessionAnswer.Unpaid, SessionAnswer.Unpaid), (await Claims.PeekAsync(first, CancellationToken.None), await Claims.PeekAsync(second, CancellationToken.None)));
    }

    [Fact]
    public async Task A_session_another_attempt_holds_is_busy_until_its_lease_ends()
    {
        var (first, second) = await TwoAttemptsAsync();
        Assert.Equal(SessionAnswer.Ours, await Claims.ClaimAsync(first, SnipcartPaymentState.Processing, Lease, CancellationToken.None));

        Assert.Equal(SessionAnswer.Busy, await Claims.ClaimAsync(second, SnipcartPaymentState.Processed, Lease, CancellationToken.None));
        Assert.Equal(first.PaymentRef, (await SessionAsync(first.SessionId)).ConfirmingPaymentRef);

        _h.Clock.Advance(Lease + TimeSpan.FromSeconds(1));
        Assert.Equal(SessionAnswer.Ours, await Claims.ClaimAsync(second, SnipcartPaymentState.Processed, Lease, CancellationToken.None));
        Assert.Equal((second.PaymentRef, second.PaymentRef), ((await SessionAsync(first.SessionId)).ConfirmingPaymentRef, (await SessionAsync(first.SessionId)).ProcessedPaymentRef));
    }

    [Fact]
    public async Task A_claim_whose_write_loses_a_race_is_lost_and_writes_nothing()
    {
        var (_, attempt) = await TwoAttemptsAsync();
        _store.ConflictOnSessionUpdates(1);

        Assert.Equal(SessionAnswer.Lost, await Claims.ClaimAsync(attempt, SnipcartPaymentState.Processed, Lease, CancellationToken.None));

        var session = await SessionAsync(attempt.SessionId);
        Assert.Equal((null, null), (session.ConfirmingPaymentRef, session.ProcessedPaymentRef));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public async Task A_release_frees_the_attempts_own_claim_even_after_lost_races(int conflicts)
    {
        var (_, attempt) = await TwoAttemptsAsync();
        await Claims.ClaimAsync(attempt, SnipcartPaymentState.Processed, Lease, CancellationToken.None);
        _store.ConflictOnSessionUpdates(conflicts);

        await Claims.ReleaseAsync(attempt, CancellationToken.None);

        var session = await SessionAsync(attempt.SessionId);
        Assert.Equal((null, null, attempt.PaymentRef), (session.ConfirmingPaymentRef, session.ConfirmingUntil, session.ProcessedPaymentRef));
        Assert.Equal(conflicts, _store.SessionConflicts);
    }

    [Fact]
    public async Task A_release_gives_up_after_three_lost_races_and_leaves_the_lease_to_expire()
    {
        var (_, attempt) = await TwoAttemptsAsync();
        await Claims.ClaimAsync(attempt, SnipcartPaymentState.Processing, Lease, CancellationToken.None);
        _store.ConflictOnSessionUpdates(5);

        await Claims.ReleaseAsync(attempt, CancellationToken.None);

        Assert.Equal(3, _store.SessionConflicts);
        _store.ConflictOnSessionUpdates(0);
        Assert.Equal(attempt.PaymentRef, (await SessionAsync(attempt.SessionId)).ConfirmingPaymentRef);
    }

    [Fact]
    public async Task A_release_leaves_another_attempts_claim_alone()
    {
        var (first, second) = await TwoAttemptsAsync();
        await Claims.ClaimAsync(first, SnipcartPaymentState.Processing, Lease, CancellationToken.None);
        _store.ConflictOnSessionUpdates(1);

        await Claims.ReleaseAsync(second, CancellationToken.None);

        var session = await SessionAsync(first.SessionId);
        Assert.Equal((first.PaymentRef, 0), (session.ConfirmingPaymentRef, _store.SessionConflicts));
        _store.ConflictOnSessionUpdates(0);
        Assert.NotNull(session.ConfirmingUntil);
    }

    [Fact]
    public async Task A_returning_shopper_of_an_unpaid_session_gets_no_url()
    {
        var (_, attempt) = await TwoAttemptsAsync();

        Assert.Null(await Claims.PayingAttemptsReturnUrlAsync(attempt.SessionId, true, _h.Clock.GetUtcNow().AddSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task The_paying_attempts_return_url_is_given_at_once_when_it_has_one()
    {
        var (first, _) = await TwoAttemptsAsync();
        await WriteSessionAsync(first.SessionId, s => s.ProcessedPaymentRef = first.PaymentRef);
        await SetReturnUrlAsync(first.PaymentRef, "https://shop.example.com/order/1");

        Assert.Equal("https://shop.example.com/order/1", await Claims.PayingAttemptsReturnUrlAsync(first.SessionId, false, _h.Clock.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task Without_waiting_or_past_the_wait_a_paying_attempt_still_telling_snipcart_gives_no_url()
    {
        var (first, _) = await TwoAttemptsAsync();
        await WriteSessionAsync(first.SessionId, s => s.ProcessedPaymentRef = first.PaymentRef);

        // Neither waits: a wait would run into the 10 s bound (the URL never comes).
        Assert.Null(await Claims.PayingAttemptsReturnUrlAsync(first.SessionId, false, _h.Clock.GetUtcNow().AddSeconds(30), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await Claims.PayingAttemptsReturnUrlAsync(first.SessionId, true, _h.Clock.GetUtcNow().AddSeconds(-1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_returning_shopper_waits_for_the_url_the_paying_attempt_is_about_to_get()
    {
        var (first, _) = await TwoAttemptsAsync();
        await WriteSessionAsync(first.SessionId, s => s.ProcessedPaymentRef = first.PaymentRef);

        var waiting = Claims.PayingAttemptsReturnUrlAsync(first.SessionId, true, _h.Clock.GetUtcNow().AddSeconds(30), CancellationToken.None);
        await Task.Delay(400);
        Assert.False(waiting.IsCompleted);
        await SetReturnUrlAsync(first.PaymentRef, "https://shop.example.com/order/2");

        Assert.Equal("https://shop.example.com/order/2", await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private async Task SetReturnUrlAsync(string paymentRef, string url)
    {
        var read = (await _h.Store.GetAttemptAsync(paymentRef))!;
        read.Value.ReturnUrl = url;
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);
    }
}
