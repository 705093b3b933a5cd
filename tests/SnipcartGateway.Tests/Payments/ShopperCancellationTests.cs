using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// A shopper cancelling a payment (at the provider's cancel URL, or on our page with the signed checkout link): what
/// is voided and closed, what is refused with which problem, and that Snipcart is never told "failed" for it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ShopperCancellationTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    private ShopperCancellation Cancellation => _h.Services.GetRequiredService<ShopperCancellation>();

    private async Task<GatewayProblemException> RefusedAsync(string paymentRef, StartPaymentCommand link) =>
        await Assert.ThrowsAsync<GatewayProblemException>(() => Cancellation.CancelFromLinkAsync(paymentRef, link, CancellationToken.None));

    [Fact]
    public async Task A_payment_the_shopper_has_not_acted_on_is_voided_and_closed_without_telling_snipcart()
    {
        var (link, sessionId, paymentRef) = await _h.StartWithLinkAsync();

        var attempt = await Cancellation.CancelFromLinkAsync(paymentRef, link, CancellationToken.None);

        Assert.Equal(SandboxPayStatuses.Canceled, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Status);
        var stored = await _h.AttemptAsync(paymentRef);
        foreach (var closed in new[] { attempt, stored })
        {
            Assert.Equal((PaymentStatus.Canceled, false), (closed.Status, PaymentInFlightRule.MayStillTakeMoney(closed)));
            Assert.True(closed.IsSettled);
        }
        Assert.Empty(_h.StatesToldFor(sessionId));
    }

    [Fact]
    public async Task The_cancel_url_returns_the_attempt_as_closed_by_the_quiet_look_not_as_the_void_left_it()
    {
        var (_, sessionId, paymentRef) = await _h.StartWithLinkAsync();

        var result = await Cancellation.CancelAsync(paymentRef, CancellationToken.None);

        // The quiet look's result: the attempt closed unannounced, not the void's "canceled" that left it open.
        Assert.Equal(FinishOutcome.Closed, result.Outcome);
        Assert.NotNull(result.Attempt);
        Assert.True(result.Attempt.IsSettled);
        Assert.Equal(PaymentStatus.Canceled, result.Attempt.Status);
        Assert.Empty(_h.StatesToldFor(sessionId));
    }

    [Fact]
    public async Task A_payment_paid_before_the_cancel_arrives_is_confirmed_once_and_the_cancel_is_refused_as_already_paid()
    {
        var (link, sessionId, paymentRef) = await _h.StartWithLinkAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);

        var problem = await RefusedAsync(paymentRef, link);

        Assert.Equal((409, "already_paid", paymentRef), (problem.Status, problem.Code, problem.Extensions["paymentRef"]));
        Assert.Equal(["processed"], _h.StatesToldFor(sessionId));
        Assert.Equal(SandboxPayStatuses.Succeeded, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Status);
    }

    [Fact]
    public async Task A_payment_reference_of_another_order_or_not_a_reference_at_all_cancels_nothing()
    {
        var (_, _, paymentRef) = await _h.StartWithLinkAsync();
        var (otherLink, _, otherRef) = await _h.StartWithLinkAsync();

        foreach (var reference in new[] { paymentRef, "not-a-reference", "" })
        {
            var problem = await RefusedAsync(reference, otherLink);
            Assert.Equal((404, "payment_not_found", "There is no such payment."), (problem.Status, problem.Code, problem.Title));
        }
        Assert.Equal(SandboxPayStatuses.RequiresAction, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Status);
        Assert.Equal(SandboxPayStatuses.RequiresAction, _h.State.FindSandboxPayPaymentByReference(otherRef)!.Status);
        Assert.True(PaymentInFlightRule.MayStillTakeMoney(await _h.AttemptAsync(paymentRef)));
    }

    [Theory]
    [InlineData(SandboxPayStatuses.RequiresAction, "awaitingshopper")]
    [InlineData(SandboxPayStatuses.Pending, "pending")]
    public async Task A_payment_the_provider_cannot_void_is_refused_with_its_status_and_the_page_to_finish_it(string atProvider, string status)
    {
        _provider.CapabilitiesOverride = _provider.Capabilities with { Cancel = false };
        var (link, sessionId, paymentRef) = await _h.StartWithLinkAsync();
        _h.SetProviderStatus(paymentRef, atProvider);

        var problem = await RefusedAsync(paymentRef, link);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((409, "payment_not_cancelable", "This payment cannot be cancelled here.", "Finish it at the payment provider, or wait until it is settled."),
            (problem.Status, problem.Code, problem.Title, problem.Detail));
        Assert.Equal((paymentRef, status, attempt.ContinueUrl), (problem.Extensions["paymentRef"], problem.Extensions["status"], problem.Extensions["continueUrl"]));
        Assert.NotNull(attempt.ContinueUrl);
        Assert.Equal(atProvider, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Status);
        Assert.True(PaymentInFlightRule.MayStillTakeMoney(attempt));
        Assert.DoesNotContain("failed", _h.StatesToldFor(sessionId));
    }

    [Fact]
    public async Task The_cancel_url_of_a_payment_paid_after_all_confirms_it_and_answers_confirmed()
    {
        var (_, sessionId, paymentRef) = await _h.StartWithLinkAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);

        var result = await Cancellation.CancelAsync(paymentRef, CancellationToken.None);

        Assert.Equal(FinishOutcome.Confirmed, result.Outcome);
        Assert.True(result.Attempt!.IsProcessed);
        Assert.Equal(["processed"], _h.StatesToldFor(sessionId));
    }

    [Fact]
    public async Task A_paid_payment_snipcart_has_not_accepted_yet_is_not_cancelable_and_offers_no_page_to_finish()
    {
        var (link, sessionId, paymentRef) = await _h.StartWithLinkAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _h.State.FailNext(SimulatedEndpoint.CreatePayment, 400);

        var problem = await RefusedAsync(paymentRef, link);

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal((409, "payment_not_cancelable"), (problem.Status, problem.Code));
        Assert.Equal((paymentRef, "paid", null), (problem.Extensions["paymentRef"], problem.Extensions["status"], problem.Extensions["continueUrl"]));
        Assert.NotNull(attempt.ContinueUrl);
        Assert.Equal((PaymentStatus.Paid, false), (attempt.Status, attempt.IsSettled));
        Assert.Empty(_h.StatesToldFor(sessionId));
    }
}
