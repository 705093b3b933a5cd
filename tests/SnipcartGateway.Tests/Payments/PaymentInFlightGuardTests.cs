using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// One payment in flight per session, on the stored session: a second Pay is refused with what the page needs to
/// show the first, after one quiet look that lets it through when the first is over at the provider; a session that
/// keeps changing under the write is refused as busy rather than retried forever.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PaymentInFlightGuardTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private PaymentInFlightGuard Guard => _h.Services.GetRequiredService<PaymentInFlightGuard>();

    private static string NewRef() => PaymentReferences.NewPaymentRef();

    [Fact]
    public async Task A_free_session_is_taken_for_the_new_payment()
    {
        var sessionId = _h.NewSession().Session.Id;
        var paymentRef = NewRef();
        var before = _h.Clock.GetUtcNow();

        await Guard.ReserveAsync(sessionId, paymentRef, CancellationToken.None);

        var session = (await _h.Store.FindSessionAsync(sessionId))!.Value;
        Assert.Equal(paymentRef, session.InFlightPaymentRef);
        Assert.InRange(session.InFlightSince!.Value, before, _h.Clock.GetUtcNow());
    }

    [Theory]
    [InlineData(9, false)]
    [InlineData(10, true)]
    public async Task A_session_written_by_others_ten_times_in_a_row_is_refused_as_busy(int conflicts, bool busy)
    {
        var sessionId = _h.NewSession().Session.Id;
        var paymentRef = NewRef();
        _store.ConflictOnSessionUpdates(conflicts);

        var reserve = Guard.ReserveAsync(sessionId, paymentRef, CancellationToken.None);

        if (busy)
        {
            var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => reserve);
            Assert.Equal((503, "session_busy", "This order is being updated. Please try again."), (problem.Status, problem.Code, problem.Title));
        }
        else
        {
            await reserve;
            Assert.Equal(paymentRef, (await _h.Store.FindSessionAsync(sessionId))!.Value.InFlightPaymentRef);
        }
        Assert.Equal(conflicts, _store.SessionConflicts);
    }

    [Theory]
    [InlineData(true, "Finish it, or cancel it and choose again.")]
    [InlineData(false, "Finish it at the payment provider, or wait until it is settled.")]
    public async Task A_second_pay_while_the_first_awaits_the_shopper_is_refused_with_the_first_and_whether_it_can_be_cancelled(bool canCancel, string detail)
    {
        _provider.CapabilitiesOverride = _provider.Capabilities with { Cancel = canCancel };
        var (_, sessionId, first) = await _h.StartWithLinkAsync();
        var attempt = await _h.AttemptAsync(first);
        var lookups = 0;
        _provider.BeforeGet = (_, _) =>
        {
            Interlocked.Increment(ref lookups);
            return Task.CompletedTask;
        };

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => Guard.ReserveAsync(sessionId, NewRef(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        // One quiet look at the first payment, not one per decision.
        Assert.Equal(1, lookups);
        Assert.Equal((409, "payment_in_progress", "A payment for this order is already in progress.", detail), (problem.Status, problem.Code, problem.Title, problem.Detail));
        Assert.Equal((first, "awaitingshopper", "sandboxpay", attempt.ContinueUrl, canCancel),
            (problem.Extensions["paymentRef"], problem.Extensions["status"], problem.Extensions["provider"], problem.Extensions["continueUrl"], problem.Extensions["canCancel"]));
        Assert.Equal(first, (await _h.Store.FindSessionAsync(sessionId))!.Value.InFlightPaymentRef);
    }

    [Fact]
    public async Task A_first_payment_declined_at_the_provider_but_never_returned_from_is_looked_at_once_and_lets_the_next_through()
    {
        var (_, sessionId, first) = await _h.StartWithLinkAsync();
        _h.SetProviderStatus(first, SandboxPayStatuses.Declined);
        var next = NewRef();

        await Guard.ReserveAsync(sessionId, next, CancellationToken.None);

        Assert.Equal(next, (await _h.Store.FindSessionAsync(sessionId))!.Value.InFlightPaymentRef);
        Assert.True((await _h.AttemptAsync(first)).IsSettled);
    }

    [Fact]
    public async Task A_first_payment_paid_but_never_returned_from_is_confirmed_by_the_look_and_the_next_is_refused_as_already_paid()
    {
        var (_, sessionId, first) = await _h.StartWithLinkAsync();
        _h.SetProviderStatus(first, SandboxPayStatuses.Succeeded);

        var problem = await Assert.ThrowsAsync<GatewayProblemException>(() => Guard.ReserveAsync(sessionId, NewRef(), CancellationToken.None));

        Assert.Equal((409, "already_paid", "This order has already been paid.", first), (problem.Status, problem.Code, problem.Title, problem.Extensions["paymentRef"]));
        Assert.Equal(["processed"], _h.StatesToldFor(sessionId));
    }

    [Fact]
    public async Task The_page_reads_a_first_payment_paid_but_never_returned_from_as_already_paid_once_the_look_confirmed_it()
    {
        var (_, sessionId, first) = await _h.StartWithLinkAsync();
        _h.SetProviderStatus(first, SandboxPayStatuses.Succeeded);

        var view = await Guard.ReadAsync(sessionId, CancellationToken.None);

        Assert.Equal((InFlightVerdict.AlreadyPaid, first), (view.Decision.Verdict, view.Decision.PaymentRef));
        Assert.True(view.Attempt!.IsProcessed);
        Assert.Equal(["processed"], _h.StatesToldFor(sessionId));
    }

    [Fact]
    public async Task A_session_paid_by_one_attempt_and_naming_another_in_flight_shows_the_paid_one()
    {
        var (_, paid) = await _h.PaidPaymentAsync();
        var session = (await _h.Store.FindSessionAsync(paid.SessionId))!;
        session.Value.InFlightPaymentRef = NewRef();
        await _h.Store.UpdateSessionAsync(session.Value, session.Version);

        var view = await Guard.ReadAsync(paid.SessionId, CancellationToken.None);

        Assert.Equal((InFlightVerdict.AlreadyPaid, paid.PaymentRef), (view.Decision.Verdict, view.Decision.PaymentRef));
        Assert.Equal(paid.PaymentRef, view.Attempt?.PaymentRef);
    }

    [Theory]
    [InlineData(PaymentStatus.AwaitingShopper, "awaitingshopper", true)]
    [InlineData(PaymentStatus.Pending, "pending", true)]
    // Money taken or held: there is nothing left to do at the provider's page.
    [InlineData(PaymentStatus.Authorized, "authorized", false)]
    [InlineData(PaymentStatus.Paid, "paid", false)]
    public void The_in_progress_problem_offers_the_providers_page_only_while_the_shopper_can_still_act_there(PaymentStatus status, string word, bool offered)
    {
        var attempt = Storage.Payments.TablePaymentStoreTests.NewAttempt();
        attempt.Status = status;
        attempt.ContinueUrl = "https://pay.example/p/1";
        var view = new SessionPaymentView(new InFlightDecision(InFlightVerdict.InProgress, attempt.PaymentRef), attempt);

        var problem = PaymentInFlightGuard.InProgress(view);

        Assert.Equal((attempt.PaymentRef, word, "sandboxpay", offered ? attempt.ContinueUrl : null, false),
            (problem.Extensions["paymentRef"], problem.Extensions["status"], problem.Extensions["provider"], problem.Extensions["continueUrl"], problem.Extensions["canCancel"]));
    }

    [Fact]
    public void A_payment_another_tab_is_creating_right_now_is_in_progress_as_pending_with_nothing_to_continue()
    {
        var paymentRef = NewRef();

        var problem = PaymentInFlightGuard.InProgress(new SessionPaymentView(new InFlightDecision(InFlightVerdict.InProgress, paymentRef), null));

        Assert.Equal((paymentRef, "pending", null, null), (problem.Extensions["paymentRef"], problem.Extensions["status"], problem.Extensions["provider"], problem.Extensions["continueUrl"]));
    }

    [Fact]
    public async Task The_page_reads_the_payment_in_flight_as_the_provider_has_it_now_and_writes_no_session()
    {
        var (_, sessionId, first) = await _h.StartWithLinkAsync();
        var unseen = _h.NewSession().Session.Id;
        var version = (await _h.Store.FindSessionAsync(sessionId))!.Version;

        var awaiting = await Guard.ReadAsync(sessionId, CancellationToken.None);
        Assert.Equal((InFlightVerdict.InProgress, first, true), (awaiting.Decision.Verdict, awaiting.Decision.PaymentRef, awaiting.Decision.CanCancel));

        _h.SetProviderStatus(first, SandboxPayStatuses.Declined);
        var over = await Guard.ReadAsync(sessionId, CancellationToken.None);
        Assert.Equal(InFlightVerdict.Allow, over.Decision.Verdict);
        Assert.Equal(version, (await _h.Store.FindSessionAsync(sessionId))!.Version);

        var none = await Guard.ReadAsync(unseen, CancellationToken.None);
        Assert.Equal((InFlightVerdict.Allow, null), (none.Decision.Verdict, none.Attempt));
        Assert.Null(await _h.Store.FindSessionAsync(unseen));
    }
}
