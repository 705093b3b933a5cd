using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// The provider port: a refused void is not a closed checkout, kept return parameters
/// cannot be wiped or replaced by a return that did not describe the payment, and a shopper's return query cannot
/// make the attempt's row unwritable.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class VoidAndKeptReturnTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Fact]
    public async Task An_expired_checkout_the_provider_refuses_to_void_is_not_closed_while_its_lookup_lags()
    {
        _provider.RhythmOverride = new ProviderRhythm(TimeSpan.FromMinutes(30), []);
        var (session, paymentRef) = await _h.StartPaymentAsync();
        // The shopper pays just as the checkout expires: Sandbox Pay refuses the void (409, the payment is final),
        // but its lookups lag behind and still say "waiting for the shopper" for a while.
        var lagging = true;
        _provider.BeforeCancel = _ =>
        {
            _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
            return Task.CompletedTask;
        };
        _provider.AfterGet = seen => lagging ? seen with { Status = PaymentStatus.AwaitingShopper, ProviderStatus = SandboxPayStatuses.RequiresAction } : seen;

        _h.Clock.Advance(TimeSpan.FromMinutes(31));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        var afterRefusal = await _h.AttemptAsync(paymentRef);
        Assert.False(afterRefusal.IsSettled, "A checkout the provider refused to void must stay open: it may be paid.");
        Assert.True(afterRefusal.NeedsAttention);
        Assert.Empty(_h.StatesToldFor(session.Id));

        // The provider's lookup catches up: the next check confirms the order.
        lagging = false;
        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
    }

    [Fact]
    public async Task A_refused_void_of_an_attempt_told_processing_does_not_tell_Snipcart_failed()
    {
        _provider.RhythmOverride = new ProviderRhythm(TimeSpan.FromMinutes(30), []);
        var (session, paymentRef) = await _h.StartPaymentAsync();
        // Told "processing" earlier (a provider that went back from pending to awaiting the shopper).
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        Assert.Equal(["processing"], _h.StatesToldFor(session.Id));
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.RequiresAction);

        var lagging = true;
        _provider.BeforeCancel = _ =>
        {
            _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
            return Task.CompletedTask;
        };
        _provider.AfterGet = seen => lagging ? seen with { Status = PaymentStatus.AwaitingShopper, ProviderStatus = SandboxPayStatuses.RequiresAction } : seen;

        _h.Clock.Advance(TimeSpan.FromMinutes(31));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(["processing"], _h.StatesToldFor(session.Id));

        lagging = false;
        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(["processing", "processed"], _h.StatesToldFor(session.Id));
    }

    [Fact]
    public async Task A_return_whose_parameters_the_provider_ignores_does_not_wipe_the_kept_ones()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, new Dictionary<string, string> { ["token"] = "tok_1", ["success"] = "1" });

        // Anyone holding the reference (it is in the shopper's browser) opens the return URL with other parameters;
        // Sandbox Pay looks up by its own id and ignores them.
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, new Dictionary<string, string> { ["utm_source"] = "x" });

        var kept = (await _h.AttemptAsync(paymentRef)).ReturnParameters;
        Assert.Equal("tok_1", kept["token"]);
        Assert.Equal("1", kept["success"]);
    }

    [Fact]
    public async Task Return_parameters_the_provider_answered_with_another_payment_for_are_not_kept()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, new Dictionary<string, string> { ["token"] = "tok_1" });

        // A provider that looks a return up by its token and answers for whatever payment the token names: a forged
        // token of another (paid) payment comes back with another reference. Not this payment's return.
        _provider.AfterGet = seen => seen with { Status = PaymentStatus.Paid, Reference = "pay_someoneelsesreference0000" };
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, new Dictionary<string, string> { ["token"] = "tok_forged" });

        Assert.Equal("tok_1", (await _h.AttemptAsync(paymentRef)).ReturnParameters["token"]);
    }

    [Fact]
    public async Task An_oversized_return_query_is_bounded_and_never_makes_the_attempt_unwritable()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        // Twenty parameters just under the per-value bound: within each bound, far beyond a table property.
        var query = Enumerable.Range(0, 20).ToDictionary(i => $"p{i}", _ => new string('é', ReturnParameterSet.MaxValueLength));

        var result = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, query);

        Assert.Equal(FinishOutcome.Confirmed, result.Outcome);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
    }
}

[Collection(AzuriteCollection.Name)]
public sealed class KeptReturnParameterTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Fact]
    public async Task Kept_return_parameters_the_provider_no_longer_accepts_do_not_block_a_paid_order_forever()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, new Dictionary<string, string> { ["token"] = "tok_1" });
        Assert.Equal("tok_1", (await _h.AttemptAsync(paymentRef)).ReturnParameters["token"]);

        // Later the provider refuses that token (it expired, it was single-use): the kept return no longer
        // describes the payment, but the provider still answers a lookup by its own id.
        _provider.BeforeGet = (l, _) => l.ReturnParameters.ContainsKey("token")
            ? throw new ProviderReturnRejectedException("sandboxpay", "The token has expired.")
            : Task.CompletedTask;
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);

        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(["processing", "processed"], _h.StatesToldFor(session.Id));
    }
}
