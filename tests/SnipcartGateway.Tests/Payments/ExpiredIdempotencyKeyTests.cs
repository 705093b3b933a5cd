using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// A refund the provider never answered is asked again by repeating it under its idempotency key, which only a
/// provider that still knows the key deduplicates. Smartpay keeps keys six hours: past that a repeat would refund the
/// shopper twice, so the refund goes to a person instead.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExpiredIdempotencyKeyTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private int _sent;

    /// <summary>A merchant's retry window longer than Smartpay's key lifetime: Snipcart's retry of a refund can then
    /// come after the provider forgot the first try's key.</summary>
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Payments:RefundRetryWindow"] = "08:00:00",
    };

    private void KeysKeptSixHoursAndNoAnswer()
    {
        _provider.CapabilitiesOverride = _provider.Capabilities with { IdempotencyKeyLifetime = TimeSpan.FromHours(6) };
        _provider.RefundOverride = _ =>
        {
            _sent++;
            throw new ProviderException("sandboxpay", "no answer", statusCode: null);
        };
    }

    [Fact]
    public async Task A_refund_never_answered_is_repeated_within_the_key_lifetime_and_handed_to_a_person_past_it()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        KeysKeptSixHoursAndNoAnswer();
        await Record.ExceptionAsync(() => _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null), CancellationToken.None));
        var refundId = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).RefundId;
        var followUp = _h.Services.GetRequiredService<RefundFollowUpService>();

        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        await followUp.RunAsync(CancellationToken.None);
        Assert.Equal(2, _sent);

        // Flagged unresolved on the way, and a person marked the payment handled: the hand-over must raise it again.
        var before = (await _h.Store.GetRefundAsync(attempt.PaymentRef, refundId))!;
        before.Value.NeedsAttention = true;
        await _h.Store.UpdateRefundAsync(before.Value, before.Version);
        var handled = (await _h.Store.GetAttemptAsync(attempt.PaymentRef))!;
        handled.Value.FailureCode = RefundFollowUpPolicy.RefundUnresolved;
        handled.Value.NeedsAttention = false;
        await _h.Store.UpdateAttemptAsync(handled.Value, handled.Version);

        _h.Clock.Advance(TimeSpan.FromHours(6));
        await followUp.RunAsync(CancellationToken.None);
        await followUp.RunAsync(CancellationToken.None);

        Assert.Equal(2, _sent);
        var refund = (await _h.Store.GetRefundAsync(attempt.PaymentRef, refundId))!.Value;
        Assert.Equal((RefundState.ManualRefundRequired, RefundFollowUpService.KeyExpiredMessage, true), (refund.State, refund.FailureMessage, refund.NeedsAttention));
        var flagged = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((true, RefundFollowUpPolicy.ManualRefundRequired, 10m), (flagged.NeedsAttention, flagged.FailureCode, flagged.RefundedAmount));

        // The person finds it made in the provider's dashboard and says so.
        await _h.Services.GetRequiredService<ManualRefundService>().ResolveAsync(new(attempt.PaymentRef, refundId, ManualRefundOutcome.Done, "support-key", "found in the dashboard"), CancellationToken.None);
        var settled = await _h.AttemptAsync(attempt.PaymentRef);
        Assert.Equal((false, 10m), (settled.NeedsAttention, settled.RefundedAmount));
        Assert.Equal(RefundState.Succeeded, (await _h.Store.GetRefundAsync(attempt.PaymentRef, refundId))!.Value.State);
        Assert.Equal(2, _sent);
    }

    [Fact]
    public async Task A_provider_that_keeps_its_keys_has_a_refund_with_no_answer_repeated_at_any_age()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        KeysKeptSixHoursAndNoAnswer();
        _provider.CapabilitiesOverride = _provider.CapabilitiesOverride! with { IdempotencyKeyLifetime = null };
        await Record.ExceptionAsync(() => _h.Refunds.RefundAsync(new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null), CancellationToken.None));
        var followUp = _h.Services.GetRequiredService<RefundFollowUpService>();

        _h.Clock.Advance(TimeSpan.FromHours(7));
        await followUp.RunAsync(CancellationToken.None);

        Assert.Equal(2, _sent);
        Assert.Equal(RefundState.Requested, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).State);
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(6, 1)]
    public async Task Snipcarts_retry_of_a_refund_never_answered_repeats_it_only_while_the_provider_keeps_its_key(int hoursLater, int sent)
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        KeysKeptSixHoursAndNoAnswer();
        var command = new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null);
        var first = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.Refunds.RefundAsync(command, CancellationToken.None));

        _h.Clock.Advance(TimeSpan.FromHours(hoursLater));
        var retry = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.Refunds.RefundAsync(command, CancellationToken.None));

        // Past the key's lifetime (less the margin) the retry is not sent: it could refund the shopper twice. It is
        // told a person has it (never "try again"), and the timer's follow-up hands the refund to one.
        Assert.Equal(sent, _sent);
        Assert.Equal((502, "refund_unconfirmed", first.Extensions["refundId"]), (retry.Status, retry.Code, retry.Extensions["refundId"]));
        Assert.Equal(sent == 1 ? WithAPerson : first.Title, retry.Title);
        var refund = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef));
        Assert.Equal(RefundState.Requested, refund.State);
        Assert.Equal(10m, (await _h.AttemptAsync(attempt.PaymentRef)).RefundedAmount);
    }

    private const string WithAPerson = "Sandbox Pay (test only) did not confirm the refund, and it may have been made: it is with a person to check in Sandbox Pay (test only)'s dashboard. Do not refund it again.";

    [Fact]
    public async Task Snipcarts_retry_of_a_refund_handed_to_a_person_is_told_so_never_that_the_provider_has_no_refunds()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        KeysKeptSixHoursAndNoAnswer();
        var command = new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null);
        await Record.ExceptionAsync(() => _h.Refunds.RefundAsync(command, CancellationToken.None));
        _h.Clock.Advance(TimeSpan.FromHours(6));
        await _h.Services.GetRequiredService<RefundFollowUpService>().RunAsync(CancellationToken.None);
        Assert.Equal(RefundState.ManualRefundRequired, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).State);

        var retry = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.Refunds.RefundAsync(command, CancellationToken.None));

        Assert.Equal((502, "refund_unconfirmed", WithAPerson), (retry.Status, retry.Code, retry.Title));
        Assert.Equal(1, _sent);
    }

    [Fact]
    public async Task A_retry_that_finds_its_refund_handed_to_a_person_meanwhile_sends_nothing()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        KeysKeptSixHoursAndNoAnswer();
        var command = new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null);
        await Record.ExceptionAsync(() => _h.Refunds.RefundAsync(command, CancellationToken.None));
        var refundId = Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).RefundId;
        _h.Clock.Advance(TimeSpan.FromHours(5));
        // The timer hands it over between the retry's choice and its read of the refund.
        _store.BeforeGetRefund = async _ =>
        {
            _store.BeforeGetRefund = null;
            var read = (await _h.Store.GetRefundAsync(attempt.PaymentRef, refundId))!;
            read.Value.State = RefundState.ManualRefundRequired;
            await _h.Store.UpdateRefundAsync(read.Value, read.Version);
        };

        var retry = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.Refunds.RefundAsync(command, CancellationToken.None));

        Assert.Equal((502, "refund_unconfirmed", WithAPerson), (retry.Status, retry.Code, retry.Title));
        Assert.Equal(1, _sent);
        Assert.Equal(RefundState.ManualRefundRequired, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).State);
    }

    [Fact]
    public async Task Snipcarts_retry_of_a_refund_left_pending_past_the_key_lifetime_gets_the_same_refund_and_is_not_sent_again()
    {
        var (_, attempt) = await _h.PaidPaymentAsync();
        KeysKeptSixHoursAndNoAnswer();
        _provider.RefundOverride = request =>
        {
            _sent++;
            return Task.FromResult(new ProviderRefund { ProviderRefundId = "re_1", Status = RefundStatus.Pending });
        };
        var command = new RefundCommand(attempt.PaymentRef, attempt.RefundKey, 10m, null, null);
        var refundId = await _h.Refunds.RefundAsync(command, CancellationToken.None);

        _h.Clock.Advance(TimeSpan.FromHours(6));

        Assert.Equal(refundId, await _h.Refunds.RefundAsync(command, CancellationToken.None));
        Assert.Equal(1, _sent);
        Assert.Equal(RefundState.Pending, Assert.Single(await _h.Store.ListRefundsAsync(attempt.PaymentRef)).State);
    }
}
