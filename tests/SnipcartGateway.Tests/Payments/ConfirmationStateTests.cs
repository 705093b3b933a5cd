using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>Issue 9, item 1: "processing" only when the provider is processing money the shopper committed.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConfirmationStateTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PaymentCoreHarness _h = null!;

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_payment_the_shopper_never_acted_on_is_not_told_processing_and_is_closed_by_reconciliation()
    {
        // Created at Sandbox Pay ("requires_action"), the provider's page never opened.
        var (session, paymentRef) = await _h.StartPaymentAsync();

        // The return route, the status route and the page all finish with the shopper's trigger.
        for (var i = 0; i < 3; i++)
        {
            var result = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
            Assert.Equal(FinishOutcome.Waiting, result.Outcome);
        }
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        Assert.Null((await _h.AttemptAsync(paymentRef)).ConfirmedState);

        // A day later reconciliation closes it like any abandoned attempt, still without a word to Snipcart.
        _h.Clock.Advance(TimeSpan.FromHours(25));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.True(attempt.Abandoned);
        Assert.True(attempt.IsSettled);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        Assert.DoesNotContain(paymentRef, await UnsettledAsync());
    }

    [Fact]
    public async Task A_payment_left_pending_is_told_processing_and_then_failed_once_when_the_provider_declines()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);
        Assert.Equal(FinishOutcome.Confirmed, (await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn)).Outcome);
        Assert.Equal(["processing"], _h.StatesToldFor(session.Id));

        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Declined);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        Assert.Equal(["processing", "failed"], _h.StatesToldFor(session.Id));
    }

    [Fact]
    public async Task An_attempt_told_processing_while_the_shopper_never_acted_is_told_failed_once_when_given_up()
    {
        // An attempt told "processing" before this rule existed: the provider still says nobody acted.
        var (session, paymentRef) = await _h.StartPaymentAsync();
        var read = (await _h.Store.GetAttemptAsync(paymentRef))!;
        read.Value.ConfirmedState = SnipcartPaymentState.Processing;
        await _h.Store.UpdateAttemptAsync(read.Value, read.Version);

        _h.Clock.Advance(TimeSpan.FromHours(25));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(["failed"], _h.StatesToldFor(session.Id));
        Assert.Equal(SnipcartPaymentState.Failed, (await _h.AttemptAsync(paymentRef)).ConfirmedState);
    }

    private async Task<List<string>> UnsettledAsync()
    {
        var list = new List<string>();
        await foreach (var entry in _h.Store.ListUnsettledAsync())
        {
            list.Add(entry.PaymentRef);
        }
        return list;
    }
}
