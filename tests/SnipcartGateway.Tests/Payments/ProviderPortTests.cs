using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Tests.Infrastructure;
using SandboxPayStatuses = SnipcartGateway.Sandbox.SandboxPayStatuses;

namespace SnipcartGateway.Tests.Payments;

/// <summary>
/// What the provider port gives every provider, proven on Sandbox Pay's real adapter and simulator: its own data kept
/// and handed back, return parameters kept once accepted, cancel, and its own rhythm and expiry.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProviderPortTests(AzuriteFixture azurite) : HookedProviderTests(azurite)
{
    [Fact]
    public async Task Provider_data_from_create_and_lookups_is_kept_and_handed_to_later_lookups_and_refunds()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        var providerPaymentId = _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Id;
        Assert.Equal(providerPaymentId, (await _h.AttemptAsync(paymentRef)).ProviderData["paymentId"]);

        ProviderPaymentLookup? lookup = null;
        _provider.BeforeGet = (l, _) => { lookup = l; return Task.CompletedTask; };
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        Assert.Equal(providerPaymentId, lookup!.ProviderData["paymentId"]);
        var paid = await _h.AttemptAsync(paymentRef);
        Assert.Equal(SandboxPayStatuses.Succeeded, paid.ProviderData["status"]);

        ProviderRefundRequest? refund = null;
        _provider.BeforeRefund = r => { refund = r; return Task.CompletedTask; };
        await _h.Refunds.RefundAsync(new RefundCommand(paymentRef, paid.RefundKey, 10m, null, null), CancellationToken.None);
        Assert.Equal(providerPaymentId, refund!.ProviderData["paymentId"]);
        Assert.Equal(SandboxPayStatuses.Succeeded, refund.ProviderData["status"]);
    }

    [Fact]
    public async Task Return_parameters_are_kept_and_reach_a_lookup_in_another_process()
    {
        var (_, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);

        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, new Dictionary<string, string> { ["token"] = "tok_1", ["success"] = "1" });
        Assert.Equal("tok_1", (await _h.AttemptAsync(paymentRef)).ReturnParameters["token"]);

        // Another instance, after the shopper's one request: the parameters come from storage.
        ProviderPaymentLookup? later = null;
        var other = _h.Build(s => PaymentCoreHarness.DecorateProvider(s, p => new HookedProvider(p)
        {
            BeforeGet = (l, _) => { later = l; return Task.CompletedTask; },
        }));
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await other.GetRequiredService<PaymentFinisher>().FinishAsync(paymentRef, FinishTrigger.Reconciliation);

        Assert.Equal("tok_1", later!.ReturnParameters["token"]);
        Assert.Equal("1", later.ReturnParameters["success"]);
        Assert.Equal(SnipcartPaymentState.Processed, (await _h.AttemptAsync(paymentRef)).ConfirmedState);
    }

    [Fact]
    public async Task A_return_the_provider_says_is_not_this_payment_changes_nothing()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Declined);
        _provider.BeforeGet = (l, _) => l.ReturnParameters.TryGetValue("token", out var t) && t == "forged"
            ? throw new ProviderReturnRejectedException("sandboxpay", "The token is another payment's.")
            : Task.CompletedTask;
        var before = await _h.Store.GetAttemptAsync(paymentRef);

        var result = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn, new Dictionary<string, string> { ["token"] = "forged" });

        Assert.Equal(FinishOutcome.Waiting, result.Outcome);
        Assert.Equal(before!.Version, (await _h.Store.GetAttemptAsync(paymentRef))!.Version);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task An_unpaid_attempt_past_its_expiry_is_voided_at_the_provider_and_closed_once()
    {
        _provider.RhythmOverride = new ProviderRhythm(TimeSpan.FromMinutes(30), []);
        var (session, paymentRef) = await _h.StartPaymentAsync();
        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(attempt.CreatedAt + TimeSpan.FromMinutes(30), attempt.ExpiresAt);
        var cancels = new List<ProviderCancelRequest>();
        _provider.BeforeCancel = c => { lock (cancels) { cancels.Add(c); } return Task.CompletedTask; };

        // Checked before it expires: still open, nothing voided.
        _h.Clock.Advance(TimeSpan.FromMinutes(5));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.False((await _h.AttemptAsync(paymentRef)).IsSettled);
        Assert.Empty(cancels);

        _h.Clock.Advance(TimeSpan.FromMinutes(26));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        _h.Clock.Advance(TimeSpan.FromMinutes(30));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        var closed = await _h.AttemptAsync(paymentRef);
        Assert.True(closed.Abandoned);
        Assert.Equal(PaymentStatus.Canceled, closed.Status);
        Assert.Equal(SandboxPayStatuses.Canceled, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Status);
        Assert.Equal(closed.ProviderPaymentId, Assert.Single(cancels).ProviderPaymentId);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task An_expiring_attempt_paid_at_the_last_moment_is_confirmed_not_voided()
    {
        _provider.RhythmOverride = new ProviderRhythm(TimeSpan.FromMinutes(30), []);
        var (session, paymentRef) = await _h.StartPaymentAsync();
        // The shopper pays just as the checkout expires: the provider refuses to void a paid payment.
        _provider.BeforeCancel = _ =>
        {
            _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
            return Task.CompletedTask;
        };
        var first = true;
        _provider.AfterGet = seen =>
        {
            // The lookup before the cancel still says "waiting for the shopper".
            if (first) { first = false; return seen with { Status = PaymentStatus.AwaitingShopper }; }
            return seen;
        };

        _h.Clock.Advance(TimeSpan.FromMinutes(31));
        await _h.Reconciliation.RunAsync(CancellationToken.None);

        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
        Assert.Equal(SnipcartPaymentState.Processed, (await _h.AttemptAsync(paymentRef)).ConfirmedState);
    }

    [Fact]
    public async Task A_shopper_who_cancels_has_the_checkout_voided_at_the_provider()
    {
        var (session, paymentRef) = await _h.StartPaymentAsync();

        var result = await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperCancel);

        Assert.Equal(FinishOutcome.Canceled, result.Outcome);
        Assert.Equal(SandboxPayStatuses.Canceled, _h.State.FindSandboxPayPaymentByReference(paymentRef)!.Status);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
    }

    [Fact]
    public async Task A_pending_payment_is_asked_about_on_the_providers_rhythm_then_at_the_gateways_pace()
    {
        var logs = new CapturedLogs();
        var azurite = _h.Azurite;
        await _h.DisposeAsync();
        _h = PaymentCoreHarness.Start(azurite, s =>
        {
            PaymentCoreHarness.DecorateProvider(s, p => _provider = new HookedProvider(p)
            {
                RhythmOverride = new ProviderRhythm(null, [TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)]),
            });
            s.AddSingleton<ILoggerProvider>(logs);
        });
        var (session, paymentRef) = await _h.StartPaymentAsync();
        var lookups = 0;
        _provider.BeforeGet = (_, _) => { Interlocked.Increment(ref lookups); return Task.CompletedTask; };
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Pending);

        // The widget's callback: the page asks the server, which asks the provider.
        await _h.Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        var afterReturn = await _h.AttemptAsync(paymentRef);
        Assert.Equal(1, afterReturn.PendingChecks);
        Assert.InRange(afterReturn.NextCheckAt!.Value, afterReturn.UpdatedAt + TimeSpan.FromSeconds(59), afterReturn.UpdatedAt + TimeSpan.FromSeconds(60));

        // Reconciliation every minute takes the provider's three checks, although the attempt was just touched.
        for (var minute = 0; minute < 3; minute++)
        {
            _h.Clock.Advance(TimeSpan.FromSeconds(61));
            await _h.Reconciliation.RunAsync(CancellationToken.None);
        }
        Assert.Equal(4, lookups);
        Assert.Single(logs.Errors, e => e.Contains("after the 3 checks it asks for", StringComparison.Ordinal));

        // Then the gateway's own pace: not asked again a minute later.
        _h.Clock.Advance(TimeSpan.FromSeconds(61));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(4, lookups);

        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        await _h.Reconciliation.RunAsync(CancellationToken.None);
        Assert.Equal(["processing", "processed"], _h.StatesToldFor(session.Id));
        Assert.Single(logs.Errors, e => e.Contains("after the 3 checks it asks for", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_provider_id_another_payment_already_has_is_never_offered_to_the_shopper()
    {
        var (_, firstRef) = await _h.StartPaymentAsync();
        var firstId = (await _h.AttemptAsync(firstRef)).ProviderPaymentId!;
        string? secondRef = null;
        _provider.BeforeCreate = r => { secondRef = r.PaymentRef; return Task.CompletedTask; };
        _provider.AfterCreate = c => c with { ProviderPaymentId = firstId };

        var refused = await Assert.ThrowsAsync<GatewayProblemException>(() => _h.StartPaymentAsync());

        Assert.Equal(502, refused.Status);
        var second = await _h.AttemptAsync(secondRef!);
        Assert.True(second.Abandoned);
        Assert.True(second.NeedsAttention);
        Assert.Equal("provider_id_unusable", second.FailureCode);
        // The id still leads to the payment that had it first.
        Assert.Equal(firstRef, await _h.Store.FindPaymentRefAsync("sandboxpay", firstId));
        Assert.Null(await _h.Store.FindPaymentRefAsync("sandboxpay", new string('x', 2000)));
    }

    [Fact]
    public async Task A_provider_expiry_in_the_past_never_comes_before_reconciliations_first_look()
    {
        _provider.AfterCreate = c => c with { ExpiresAt = DateTimeOffset.UtcNow - TimeSpan.FromHours(1) };

        var (_, paymentRef) = await _h.StartPaymentAsync();

        var attempt = await _h.AttemptAsync(paymentRef);
        Assert.Equal(attempt.CreatedAt + TimeSpan.FromMinutes(2), attempt.ExpiresAt);
    }
}
