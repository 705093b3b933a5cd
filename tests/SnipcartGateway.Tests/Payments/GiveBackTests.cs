using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Domain.Lifecycle;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// Money a shopper paid that the order does not keep is given back through the provider's own refund, once, under
/// one refund id per attempt; what cannot be given back automatically is left on a person's list with the amount.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GiveBackTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    /// <summary>A payment Sandbox Pay reports paid for another amount than the order's.</summary>
    private async Task<(SnipcartGateway.Sandbox.SandboxSession Session, string PaymentRef)> PaidForAnotherAmountAsync()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _provider.AfterGet = seen => seen with { Amount = new Money(seen.Amount!.Value.Amount - 1m, seen.Amount.Value.Currency) };
        return (session, paymentRef);
    }

    private IReadOnlyList<SnipcartGateway.Sandbox.SandboxPayRefund> RefundsAtProvider(PaymentAttempt attempt) =>
        _h.State.SandboxPayRefunds.Where(r => r.Payment == attempt.ProviderPaymentId).ToList();

    [Fact]
    public async Task A_mismatched_payment_is_told_failed_to_the_waiting_shopper_and_given_back_in_full()
    {
        var (session, paymentRef) = await PaidForAnotherAmountAsync();

        var result = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);

        Assert.Equal(["failed"], _h.StatesToldFor(session.Id));
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((FlagCodes.PaymentMismatch, GiveBackState.Done, FlagCodes.PaymentMismatch), (attempt.FailureCode, attempt.GiveBackState, attempt.GiveBackReason));
        // What the provider says it took goes back, and the merchant still sees why it differed.
        var refund = Assert.Single(RefundsAtProvider(attempt));
        Assert.Equal(attempt.Amount.Amount - 1m, refund.Amount);
        Assert.Equal(GiveBackState.Done, result.Attempt!.GiveBackState);
        Assert.True(attempt.NeedsAttention);

        // The shopper's status page is told the payment was not kept and is given back.
        var status = await SnipcartGateway.Api.CheckoutApi.StatusAsync(paymentRef, _h.Store, _h.Finisher, _h.Clock, CancellationToken.None);
        var view = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<SnipcartGateway.Api.CheckoutApi.PaymentStatusResponse>>(status).Value!;
        Assert.Equal(new SnipcartGateway.Api.CheckoutApi.GivenBackView(FlagCodes.PaymentMismatch, Done: true), view.GivenBack);
    }

    [Fact]
    public async Task A_give_back_the_provider_does_not_answer_stays_open_and_the_timer_gives_it_back_once()
    {
        var (_, paymentRef) = await PaidForAnotherAmountAsync();
        var calls = 0;
        _provider.RefundOverride = _ => ++calls == 1
            ? throw new ProviderException("sandboxpay", "no answer", statusCode: null)
            : throw new InvalidOperationException("unreachable");
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        var open = await _h.AttemptAsync(paymentRef);
        Assert.Equal(GiveBackState.Requested, open.GiveBackState);
        Assert.False(open.IsSettled);
        Assert.Equal(open.Amount.Amount, open.RefundedAmount);

        // The refunds' follow-up leaves a give-back under way to the payment's lifecycle: it asks nobody.
        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.Services.GetRequiredService<SnipcartGateway.Payments.RefundFollowUpService>().RunAsync(CancellationToken.None);
        Assert.Equal(1, calls);

        _provider.RefundOverride = null;
        var again = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);

        var given = await _h.AttemptAsync(paymentRef);
        Assert.Equal(GiveBackState.Done, given.GiveBackState);
        Assert.True(given.IsSettled);
        Assert.Single(RefundsAtProvider(given));
        Assert.Equal(1, calls);
        Assert.Equal(FinishOutcome.Closed, again.Outcome);
    }

    [Fact]
    public async Task A_give_back_with_no_answer_past_the_providers_key_lifetime_goes_to_a_person_and_is_not_repeated()
    {
        var (_, paymentRef) = await PaidForAnotherAmountAsync();
        _provider.CapabilitiesOverride = _provider.Capabilities with { IdempotencyKeyLifetime = TimeSpan.FromHours(6) };
        var calls = 0;
        _provider.RefundOverride = _ =>
        {
            calls++;
            throw new ProviderException("sandboxpay", "no answer", statusCode: null);
        };
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        Assert.Equal(GiveBackState.Requested, (await _h.AttemptAsync(paymentRef)).GiveBackState);

        // Within the key's life it is asked again under the same key.
        _h.Clock.Advance(TimeSpan.FromHours(5));
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);
        Assert.Equal((2, GiveBackState.Requested), (calls, (await _h.AttemptAsync(paymentRef)).GiveBackState));

        _h.Clock.Advance(TimeSpan.FromHours(1));
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);
        // A later look at the same payment keeps what the give-back needs.
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);

        Assert.Equal(2, calls);
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((GiveBackState.ByHand, FlagCodes.RefundByHand, true), (attempt.GiveBackState, attempt.FailureCode, attempt.NeedsAttention));
        var refund = (await _h.Store.GetRefundAsync(paymentRef, attempt.GiveBackRefundId!))!.Value;
        Assert.Equal((RefundState.ManualRefundRequired, SnipcartGateway.Payments.GiveBackService.KeyExpiredMessage), (refund.State, refund.FailureMessage));
    }

    [Fact]
    public async Task A_give_back_whose_refund_already_has_its_final_word_is_not_asked_again()
    {
        var (_, paymentRef) = await PaidForAnotherAmountAsync();
        var calls = 0;
        _provider.RefundOverride = _ =>
        {
            calls++;
            throw new ProviderException("sandboxpay", "no answer", statusCode: null);
        };
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(GiveBackState.Requested, attempt.GiveBackState);

        // A pass recorded the provider's "given back" on the refund and stopped before writing the attempt.
        var refund = (await _h.Store.GetRefundAsync(paymentRef, attempt.GiveBackRefundId!))!;
        refund.Value.State = RefundState.Succeeded;
        refund.Value.ProviderRefundId = "re_made";
        await _h.Store.UpdateRefundAsync(refund.Value, refund.Version);

        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);

        Assert.Equal(1, calls);
        var given = await _h.AttemptAsync(paymentRef);
        Assert.Equal((GiveBackState.Done, true), (given.GiveBackState, given.IsSettled));
        Assert.Equal((RefundState.Succeeded, "re_made"), ((await _h.Store.GetRefundAsync(paymentRef, given.GiveBackRefundId!))!.Value.State, (await _h.Store.GetRefundAsync(paymentRef, given.GiveBackRefundId!))!.Value.ProviderRefundId));
    }

    [Fact]
    public async Task A_give_back_left_pending_is_looked_up_not_repeated_backs_off_is_flagged_at_the_cap_and_closes_once_settled()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (_, paymentRef) = await PaidForAnotherAmountAsync();
        var asked = 0;
        _provider.BeforeRefund = _ => { asked++; return Task.CompletedTask; };
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        Assert.Equal(GiveBackState.Pending, (await _h.AttemptAsync(paymentRef)).GiveBackState);
        var lookupPath = $"/sandboxpay/v1/refunds/{Assert.Single(RefundsAtProvider(await _h.AttemptAsync(paymentRef))).Id}";

        // The timer's passes look the refund up (repeating it would only replay "pending"), later and later.
        var waits = new List<TimeSpan>();
        for (var check = 2; check <= 20; check++)
        {
            _h.Clock.Advance(TimeSpan.FromHours(2));
            await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);
            // In whole minutes: the test clock moves on with real time between the pass and this read.
            waits.Add(TimeSpan.FromMinutes(Math.Round(((await _h.AttemptAsync(paymentRef)).NextCheckAt!.Value - _h.Clock.GetUtcNow()).TotalMinutes)));
        }
        var open = await _h.AttemptAsync(paymentRef);
        Assert.Equal(1, asked);
        Assert.Equal(19, _h.State.ReceivedCount(lookupPath));
        Assert.Equal([TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(8)], waits.Take(2));
        Assert.Equal(TimeSpan.FromHours(1), waits[^1]);
        // At the cap a person is asked to look; the give-back is still followed.
        var refund = (await _h.Store.GetRefundAsync(paymentRef, open.GiveBackRefundId!))!.Value;
        Assert.Equal((true, 20, RefundState.Pending), (refund.NeedsAttention, refund.FollowUpChecks, refund.State));
        Assert.Equal((GiveBackState.Pending, true, false), (open.GiveBackState, open.NeedsAttention, open.IsSettled));

        _h.State.SettleSandboxPayRefund(Assert.Single(RefundsAtProvider(open)).Id, succeeded: true);
        _h.Clock.Advance(TimeSpan.FromHours(2));
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Reconciliation);

        var given = await _h.AttemptAsync(paymentRef);
        Assert.Equal(GiveBackState.Done, given.GiveBackState);
        Assert.True(given.IsSettled);
        Assert.Equal(1, asked);
        Assert.Single(RefundsAtProvider(given));
    }

    [Fact]
    public async Task A_give_back_the_provider_refuses_is_flagged_for_a_person_and_its_reservation_freed()
    {
        var (_, paymentRef) = await PaidForAnotherAmountAsync();
        _provider.RefundOverride = _ => throw new ProviderException("sandboxpay", "refund refused", System.Net.HttpStatusCode.UnprocessableEntity, "refund_not_allowed");

        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((GiveBackState.Refused, FlagCodes.RefundRefused, true), (attempt.GiveBackState, attempt.FailureCode, attempt.NeedsAttention));
        Assert.Equal(0m, attempt.RefundedAmount);
        Assert.Equal(RefundState.Failed, (await _h.Store.GetRefundAsync(paymentRef, attempt.GiveBackRefundId!))!.Value.State);
    }

    [Fact]
    public async Task Money_a_provider_without_a_refund_api_took_is_listed_to_refund_by_hand_with_its_amount()
    {
        var (_, paymentRef) = await PaidForAnotherAmountAsync();
        _provider.CapabilitiesOverride = new ProviderCapabilities(Refunds: false, PartialRefunds: false);

        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((GiveBackState.ByHand, FlagCodes.RefundByHand, true), (attempt.GiveBackState, attempt.FailureCode, attempt.NeedsAttention));
        var refund = (await _h.Store.GetRefundAsync(paymentRef, attempt.GiveBackRefundId!))!.Value;
        Assert.Equal((RefundState.ManualRefundRequired, attempt.Amount.Amount - 1m), (refund.State, refund.Amount.Amount));
        Assert.Empty(RefundsAtProvider(attempt));
    }

    [Fact]
    public async Task A_give_back_made_by_hand_and_marked_done_is_recorded_as_given_back_and_cannot_be_dropped()
    {
        var (_, paymentRef) = await PaidForAnotherAmountAsync();
        _provider.CapabilitiesOverride = new ProviderCapabilities(Refunds: false, PartialRefunds: false);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        var reserved = (await _h.AttemptAsync(paymentRef)).RefundedAmount;
        var manual = _h.Services.GetRequiredService<SnipcartGateway.Payments.ManualRefundService>();

        // Owed to the shopper: "dropped" would leave it on nobody's list.
        var drop = await Assert.ThrowsAsync<SnipcartGateway.Payments.GatewayProblemException>(() =>
            manual.ResolveAsync(new(paymentRef, null, ManualRefundOutcome.Dropped, "support-key", null), CancellationToken.None));
        Assert.Equal((409, "give_back_cannot_be_dropped"), (drop.Status, drop.Code));
        Assert.Equal(RefundState.ManualRefundRequired, (await _h.Store.GetRefundAsync(paymentRef, (await _h.AttemptAsync(paymentRef)).GiveBackRefundId!))!.Value.State);

        await manual.ResolveAsync(new(paymentRef, null, ManualRefundOutcome.Done, "support-key", "refunded in the dashboard"), CancellationToken.None);

        var attempt = await _h.AttemptAsync(paymentRef);
        // As the provider's own "given back" would leave it: a payment that failed verification stays on the list.
        Assert.Equal((GiveBackState.Done, true, FlagCodes.PaymentMismatch), (attempt.GiveBackState, attempt.NeedsAttention, attempt.FailureCode));
        Assert.Equal(reserved, attempt.RefundedAmount);
        var refund = (await _h.Store.GetRefundAsync(paymentRef, attempt.GiveBackRefundId!))!.Value;
        Assert.Equal((RefundState.Succeeded, "support-key"), (refund.State, refund.ResolvedBy));
        Assert.Empty(RefundsAtProvider(attempt));

        // The shopper's status page now says the money was given back.
        var status = await SnipcartGateway.Api.CheckoutApi.StatusAsync(paymentRef, _h.Store, _h.Finisher, _h.Clock, CancellationToken.None);
        var view = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<SnipcartGateway.Api.CheckoutApi.PaymentStatusResponse>>(status).Value!;
        Assert.Equal(new SnipcartGateway.Api.CheckoutApi.GivenBackView(FlagCodes.PaymentMismatch, Done: true), view.GivenBack);

        // A second click is told it is resolved, and changes nothing.
        var again = await Assert.ThrowsAsync<SnipcartGateway.Payments.GatewayProblemException>(() =>
            manual.ResolveAsync(new(paymentRef, null, ManualRefundOutcome.Done, "support-key", null), CancellationToken.None));
        Assert.Equal("refund_already_resolved", again.Code);
    }

    [Fact]
    public async Task Money_for_another_amount_on_an_order_another_payment_paid_tells_the_shopper_the_order_is_paid()
    {
        // Two tabs: the first payment pays the order; the second is taken for another amount afterwards.
        var (session, first) = await _h.StartPaymentAsync();
        var record = (await _h.Store.FindSessionAsync(session.Id))!;
        record.Value.InFlightPaymentRef = null;
        await _h.Store.UpdateSessionAsync(record.Value, record.Version);
        var token = _h.State.MintToken(session.Id);
        var second = (await _h.Checkout.StartAsync(new StartPaymentCommand(token, "sandboxpay", "test", _h.Sig(token: token)), CancellationToken.None)).PaymentRef;
        _h.SetProviderStatus(first, SandboxPayStatuses.Succeeded);
        Assert.Equal(FinishOutcome.Confirmed, (await _h.Finisher.FinishAsync(first, FinishTrigger.ShopperReturn)).Outcome);
        _h.SetProviderStatus(second, SandboxPayStatuses.Succeeded);
        _provider.AfterGet = seen => seen with { Amount = new Money(seen.Amount!.Value.Amount - 1m, seen.Amount.Value.Currency) };
        await _h.Finisher.FinishAsync(second, FinishTrigger.Notification);

        var status = await SnipcartGateway.Api.CheckoutApi.StatusAsync(second, _h.Store, _h.Finisher, _h.Clock, CancellationToken.None);

        var view = Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.Ok<SnipcartGateway.Api.CheckoutApi.PaymentStatusResponse>>(status).Value!;
        Assert.NotNull(view.GivenBack);
        Assert.True(view.GivenBack.OrderPaid);
        Assert.False(view.Confirmed);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
    }
}
