using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// Refunds followed to the end by the Reconcile timer, run through the Functions host's admin API: a refund Sandbox
/// Pay answers "pending" is asked about again until it succeeds or fails; a refund Snapplify cannot make (no refund
/// API) is flagged and waits for the merchant's "done" or "dropped". Each test runs its own gateway instance on
/// tables of its own, with nothing too fresh to follow.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class RefundFollowUpTests(GatewayStackFixture stack) : IAsyncLifetime
{
    private readonly GatewayHarness _h = stack.Harness;
    private readonly string _tables = "f" + Guid.NewGuid().ToString("N")[..10];
    private GatewayHost _gateway = null!;

    private Dictionary<string, string?> Settings => new()
    {
        ["Storage:TablePrefix"] = _tables,
        ["Payments:ReconcileAfter"] = "00:00:00",
    };

    public async Task InitializeAsync() => _gateway = await _h.StartGatewayAsync(settings: Settings);

    public async Task DisposeAsync()
    {
        _h.State.SandboxPayRefundsSettleLater = false;
        await _h.StopGatewayAsync(_gateway);
    }

    private InProcessGateway Services() => InProcessGateway.For(_h, Settings);

    private async Task<(string PaymentRef, string RefundsUrl, decimal Amount)> PaidWithSandboxPayAsync()
    {
        var (session, token) = _h.NewSession();
        var (paymentRef, _) = await _h.StartPaymentAsync(token, gateway: _gateway);
        _h.SetProviderStatus(paymentRef, SandboxPayStatuses.Succeeded);
        await _h.ReturnAsync(paymentRef, _gateway);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        return (paymentRef, _h.State.GetSession(session.Id)!.RefundsUrl!, session.Invoice.Amount);
    }

    private static async Task<HttpResponseMessage> RefundAsync(string refundsUrl, decimal amount)
    {
        using var client = new HttpClient();
        return await client.PostAsJsonAsync(refundsUrl, new { amount });
    }

    private async Task<string> RunTimerAsync()
    {
        var before = _gateway.Host.Lines.Count;
        Assert.True(await _gateway.RunReconcileAsync(), "The host logged the Reconcile run as failed:\n" + _gateway.Output);
        return await _gateway.Host.WaitForLineAsync("Refund follow-up examined", TimeSpan.FromSeconds(15), before);
    }

    private async Task<(PaymentAttempt Attempt, RefundRecord Refund, IReadOnlyList<OpenRefundEntry> Open)> ReadAsync(string paymentRef)
    {
        await using var services = Services();
        var store = services.Get<IPaymentStore>();
        var attempt = (await store.GetAttemptAsync(paymentRef))!.Value;
        var refund = Assert.Single(await store.ListRefundsAsync(paymentRef));
        var open = new List<OpenRefundEntry>();
        await foreach (var entry in store.ListOpenRefundsAsync())
        {
            open.Add(entry);
        }
        return (attempt, refund, open.Where(e => e.PaymentRef == paymentRef).ToList());
    }

    [Fact]
    public async Task A_pending_refund_is_followed_until_it_succeeds_or_fails()
    {
        _h.State.SandboxPayRefundsSettleLater = true;
        var (kept, keptUrl, keptTotal) = await PaidWithSandboxPayAsync();
        var (refused, refusedUrl, refusedTotal) = await PaidWithSandboxPayAsync();
        var keptAnswer = await RefundAsync(keptUrl, 10m);
        var refusedAnswer = await RefundAsync(refusedUrl, 12m);
        Assert.Equal(HttpStatusCode.OK, keptAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refusedAnswer.StatusCode);
        Assert.Equal(RefundState.Pending, (await ReadAsync(kept)).Refund.State);

        // Still pending at the provider: asked, left open, checked again later.
        Assert.Contains("2 still open", await RunTimerAsync());
        var stillPending = await ReadAsync(kept);
        Assert.Equal(RefundState.Pending, stillPending.Refund.State);
        Assert.Equal(1, stillPending.Refund.FollowUpChecks);
        Assert.Single(stillPending.Open);

        _h.State.SettleSandboxPayRefund(stillPending.Refund.ProviderRefundId!, succeeded: true);
        _h.State.SettleSandboxPayRefund((await ReadAsync(refused)).Refund.ProviderRefundId!, succeeded: false);
        Assert.Contains("2 finished", await RunTimerAsync());

        var succeeded = await ReadAsync(kept);
        Assert.Equal(RefundState.Succeeded, succeeded.Refund.State);
        Assert.Equal(10m, succeeded.Attempt.RefundedAmount);
        Assert.False(succeeded.Attempt.NeedsAttention);
        Assert.Empty(succeeded.Open);

        var failed = await ReadAsync(refused);
        Assert.Equal(RefundState.Failed, failed.Refund.State);
        Assert.Equal(0m, failed.Attempt.RefundedAmount);
        Assert.Equal(refusedTotal, failed.Attempt.RefundableAmount.Amount);
        Assert.True(failed.Attempt.NeedsAttention);
        Assert.Equal(RefundFollowUpPolicy.RefundFailedAfterPending, failed.Attempt.FailureCode);
        Assert.Empty(failed.Open);

        // Nothing more is asked or changed by later runs: each refund was made once at the provider.
        await RunTimerAsync();
        Assert.Single(_h.State.SandboxPayRefunds, r => r.Id == succeeded.Refund.ProviderRefundId);
        Assert.Equal(10m, (await ReadAsync(kept)).Attempt.RefundedAmount);
        Assert.Equal(0m, (await ReadAsync(refused)).Attempt.RefundedAmount);
        Assert.True(keptTotal > 10m);
    }

    [Fact]
    public async Task A_refund_by_hand_is_flagged_then_marked_done_or_dropped_once()
    {
        var (done, doneUrl) = await PaidWithSnapplifyAsync();
        var (dropped, droppedUrl) = await PaidWithSnapplifyAsync();
        foreach (var url in new[] { doneUrl, droppedUrl })
        {
            var answer = await RefundAsync(url, 100m);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
            Assert.Equal("refund_not_supported", JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        Assert.Contains("2 waiting to be made by hand", await RunTimerAsync());
        var waiting = await ReadAsync(done);
        Assert.Equal(RefundState.ManualRefundRequired, waiting.Refund.State);
        Assert.Equal(100m, waiting.Attempt.RefundedAmount);
        Assert.True(waiting.Attempt.NeedsAttention);
        Assert.Equal(RefundFollowUpPolicy.ManualRefundRequired, waiting.Attempt.FailureCode);

        await using (var services = Services())
        {
            var manual = services.Get<ManualRefundService>();
            // Two clicks at once: one resolves, the other is told it is already resolved.
            var clicks = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => TryResolveAsync(manual, new(dropped, null, ManualRefundOutcome.Dropped, "support-key", "never made"))));
            Assert.Equal(1, clicks.Count(c => c is null));
            Assert.Equal(1, clicks.Count(c => c == "refund_already_resolved"));
            await manual.ResolveAsync(new(done, null, ManualRefundOutcome.Done, "support-key", "made in the dashboard"), CancellationToken.None);
        }

        await RunTimerAsync();
        var madeByHand = await ReadAsync(done);
        Assert.Equal(RefundState.Succeeded, madeByHand.Refund.State);
        Assert.Equal(ManualRefundOutcome.Done, madeByHand.Refund.Resolution);
        Assert.Equal("support-key", madeByHand.Refund.ResolvedBy);
        Assert.Equal(100m, madeByHand.Attempt.RefundedAmount);
        Assert.False(madeByHand.Attempt.NeedsAttention);
        Assert.Empty(madeByHand.Open);

        var freed = await ReadAsync(dropped);
        Assert.Equal(RefundState.Failed, freed.Refund.State);
        Assert.Equal(ManualRefundOutcome.Dropped, freed.Refund.Resolution);
        Assert.Equal("never made", freed.Refund.ResolutionNote);
        Assert.Equal(0m, freed.Attempt.RefundedAmount);
        Assert.False(freed.Attempt.NeedsAttention);
        Assert.Empty(freed.Open);
    }

    private static async Task<string?> TryResolveAsync(ManualRefundService manual, ManualRefundResolution resolution)
    {
        try
        {
            await manual.ResolveAsync(resolution, CancellationToken.None);
            return null;
        }
        catch (GatewayProblemException problem)
        {
            return problem.Code;
        }
    }

    private async Task<(string PaymentRef, string RefundsUrl)> PaidWithSnapplifyAsync()
    {
        var shopper = new SnapplifyShopper(_h, _gateway);
        var (session, paymentRef, _, redirect) = await shopper.StartAsync();
        await shopper.ReturnAsync(await SnapplifyShopper.ChooseAsync(redirect, "approve"));
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        return (paymentRef, _h.State.GetSession(session.Id)!.RefundsUrl!);
    }
}
