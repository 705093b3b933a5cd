using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Api;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.Snapplify;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.Snapplify;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Payments;

namespace SnipcartGateway.Tests.Api;

/// <summary>
/// Snapplify waits 15 s for an IPN's answer, then sends the IPN again. The handler runs under its answer budget
/// (<see cref="IPaymentProvider.NotificationAnswerBudget"/>): with a simulator that never answers, the handler still
/// answers (503 try_again, so Snapplify sends it again), and the payment is not lost: what was verified is kept on the
/// attempt, and the timer or Snapplify's retry finishes it. The budget's timer fires when the test says (once the
/// simulator holds the call), so nothing here depends on how fast the machine is.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SnapplifyIpnAnswerBudgetTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PaymentCoreHarness _h = null!;
    private ServiceProvider _gateway = null!;
    private readonly HeldTimers _budgetTimers = new();

    private SnapplifyState Snapplify => _h.Sandbox.Snapplify;

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite);
        // The same tables and sandbox, with Snapplify Pay against the sandbox's simulator.
        _gateway = _h.Build(settings: new Dictionary<string, string?>
        {
            ["Providers:Snapplify:Enabled"] = "true",
            ["Providers:Snapplify:Test:BaseUrl"] = new Uri(_h.Sandbox.BaseAddress, "snapplify").ToString(),
            ["Providers:Snapplify:Test:Client"] = SandboxHost.SnapplifyClient,
            ["Providers:Snapplify:Test:Secret"] = SandboxHost.SnapplifySecret,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_validate_that_never_answers_is_cut_by_the_budget_and_the_verified_ipn_is_finished_by_the_timer()
    {
        var (session, paymentRef, payment) = await StartPaidAtSnapplifyAsync();
        var ipn = await IpnSentForAsync(payment.Token);
        Snapplify.ValidateHangs = true;

        var answer = await PostIpnWhenHeldAsync(ipn, "/payment/validate");

        Assert.Equal(503, answer.Status);
        Assert.Equal("try_again", answer.Code);
        // Cut by the budget while validate's first attempt was still waiting (the pipeline's own timeout would have
        // sent it again), and nothing was told to Snipcart.
        Assert.Equal(1, Snapplify.HungCalls("/payment/validate"));
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        // Left for reconciliation: the verified IPN is on the attempt, not yet validated, and the attempt is open.
        var left = await AttemptAsync(paymentRef);
        Assert.False(left.IsSettled);
        Assert.True(left.ProviderData.ContainsKey(SnapplifyValidateRule.IpnEventKey));
        Assert.False(left.ProviderData.ContainsKey(SnapplifyValidateRule.ValidatedIpnEventKey));
        Assert.Contains(await UnsettledAsync(), e => e == paymentRef);

        // Snapplify answers again; the timer's next run (once the attempt is no longer fresh) validates the IPN.
        Snapplify.ValidateHangs = false;
        _h.Clock.Advance(TimeSpan.FromMinutes(3));
        await _gateway.GetRequiredService<ReconciliationService>().RunAsync(CancellationToken.None);

        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
        var finished = await AttemptAsync(paymentRef);
        Assert.Equal(finished.ProviderData[SnapplifyValidateRule.IpnEventKey], finished.ProviderData[SnapplifyValidateRule.ValidatedIpnEventKey]);
    }

    [Fact]
    public async Task An_ipn_check_that_never_answers_is_cut_by_the_budget_changes_nothing_and_snapplifys_retry_confirms()
    {
        var (session, paymentRef, payment) = await StartPaidAtSnapplifyAsync();
        var ipn = await IpnSentForAsync(payment.Token);
        Snapplify.IpnValidateHangs = true;
        var before = await _gateway.GetRequiredService<IPaymentStore>().GetAttemptAsync(paymentRef);

        var answer = await PostIpnWhenHeldAsync(ipn, "/payment/ipn/validate");

        Assert.Equal(503, answer.Status);
        Assert.Equal("try_again", answer.Code);
        Assert.Equal(before!.Version, (await _gateway.GetRequiredService<IPaymentStore>().GetAttemptAsync(paymentRef))!.Version);
        Assert.Equal(0, Snapplify.ValidateCalls(payment.Token));

        // Snapplify sends the IPN again (it does, 3 more times, after a failed answer) and now gets its answer.
        Snapplify.IpnValidateHangs = false;
        var retry = await PostIpnAsync(ipn);

        Assert.Equal(200, retry.Status);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
    }

    [Fact]
    public async Task A_snipcart_call_under_way_when_the_budget_runs_out_is_answered_for_and_still_says_processed_once()
    {
        var (session, paymentRef, payment) = await StartPaidAtSnapplifyAsync();
        var ipn = await IpnSentForAsync(payment.Token);
        // Snipcart takes its time with "processed" (well within its own 15 s timeout).
        _h.State.DelayNext(SimulatedEndpoint.CreatePayment, TimeSpan.FromSeconds(5));

        var posting = PostIpnAsync(ipn);
        // The budget runs out once the attempt is claimed: the Snipcart call is under way.
        while (!posting.IsCompleted && (await AttemptAsync(paymentRef)).ClaimId is null)
        {
            await Task.Delay(20);
        }
        _budgetTimers.FireAll();
        var answer = await posting;

        // Answered before Snipcart did; the call is not cut (it holds the claim) and says "processed" once.
        Assert.Equal(503, answer.Status);
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));
        for (var i = 0; i < 1500 && _h.StatesToldFor(session.Id).Count == 0; i++)
        {
            await Task.Delay(20);
        }
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
        for (var i = 0; i < 500 && !(await AttemptAsync(paymentRef)).IsProcessed; i++)
        {
            await Task.Delay(20);
        }
        Assert.True((await AttemptAsync(paymentRef)).IsProcessed);

        // Snapplify sends the IPN again: acknowledged, nothing said twice.
        Assert.Equal(200, (await PostIpnAsync(ipn)).Status);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
    }

    [Fact]
    public async Task Without_a_hang_the_ipn_is_answered_200_and_confirmed_within_the_budget()
    {
        var (session, _, payment) = await StartPaidAtSnapplifyAsync();
        var ipn = await IpnSentForAsync(payment.Token);

        var answer = await PostIpnAsync(ipn);

        Assert.Equal(200, answer.Status);
        Assert.Equal(["processed"], _h.StatesToldFor(session.Id));
        Assert.Equal(SnapplifyTimeouts.DefaultIpnAnswerBudget, _gateway.GetRequiredService<IProviderRegistry>().Find("snapplify")!.NotificationAnswerBudget);
    }

    /// <summary>A ZAR order paid at Snapplify (its IPN queued: sent to nobody, so the test delivers it).</summary>
    private async Task<(global::SnipcartGateway.Sandbox.SandboxSession Session, string PaymentRef, SnapplifySimPayment Payment)> StartPaidAtSnapplifyAsync()
    {
        var (session, token) = _h.NewSession(unitPrice: 449.50m, currency: "zar");
        var sig = _h.Sig("snapplify", PaymentMode.Test, token);
        var started = await _gateway.GetRequiredService<CheckoutService>().StartAsync(new StartPaymentCommand(token, "snapplify", "test", sig), CancellationToken.None);
        var payment = Snapplify.FindByReference(started.PaymentRef)!;
        Snapplify.SetState(payment.Token, SnapplifyStates.Completed, notify: true);
        return (session, started.PaymentRef, payment);
    }

    /// <summary>The IPN body Snapplify sent for the payment (to the harness's unreachable gateway URL).</summary>
    private async Task<string> IpnSentForAsync(string token)
    {
        for (var i = 0; i < 500; i++)
        {
            if (Snapplify.IpnAttempts.FirstOrDefault(a => a.Token == token) is { } sent)
            {
                return sent.Body;
            }
            await Task.Delay(20);
        }
        throw new InvalidOperationException("Snapplify sent no IPN.");
    }

    /// <summary>Posts the IPN; once the simulator holds the call at <paramref name="heldPath"/>, the budget runs out.</summary>
    private async Task<(int Status, string? Code)> PostIpnWhenHeldAsync(string body, string heldPath)
    {
        var posting = PostIpnAsync(body);
        while (Snapplify.HungCalls(heldPath) == 0 && !posting.IsCompleted)
        {
            await Task.Delay(20);
        }
        _budgetTimers.FireAll();
        return await posting;
    }

    private async Task<(int Status, string? Code)> PostIpnAsync(string body)
    {
        var context = new DefaultHttpContext { RequestServices = _gateway };
        context.Request.Method = "POST";
        context.Request.Path = "/api/providers/snapplify/notifications";
        context.Request.QueryString = new QueryString("?mode=test");
        context.Request.ContentType = "application/json";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        var result = await ProviderCallbacksApi.HandleAsync(
            "snapplify",
            context.Request,
            _gateway.GetRequiredService<IProviderRegistry>(),
            _gateway.GetRequiredService<PaymentFinisher>(),
            _gateway.GetRequiredService<IPaymentStore>(),
            _budgetTimers,
            _gateway.GetRequiredService<ILoggerFactory>(),
            CancellationToken.None);
        var response = new MemoryStream();
        context.Response.Body = response;
        await result.ExecuteAsync(context);
        var code = context.Response.StatusCode == 200 ? null
            : JsonDocument.Parse(response.ToArray()).RootElement.GetProperty("code").GetString();
        return (context.Response.StatusCode, code);
    }

    private async Task<PaymentAttempt> AttemptAsync(string paymentRef) =>
        (await _gateway.GetRequiredService<IPaymentStore>().GetAttemptAsync(paymentRef))!.Value;

    private async Task<List<string>> UnsettledAsync()
    {
        var refs = new List<string>();
        await foreach (var entry in _gateway.GetRequiredService<IPaymentStore>().ListUnsettledAsync())
        {
            refs.Add(entry.PaymentRef);
        }
        return refs;
    }
}
