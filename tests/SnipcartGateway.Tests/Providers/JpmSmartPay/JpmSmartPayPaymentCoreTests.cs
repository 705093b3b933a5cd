using SnipcartGateway.Domain.Lifecycle;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Api;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Payments;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

/// <summary>SmartPay through the payment core (checkout, finisher, reconciliation, refunds, notifications), against
/// Azurite and the simulated SmartPay, without a Functions host.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JpmSmartPayPaymentCoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PaymentCoreHarness _h = null!;
    private ServiceProvider _gateway = null!;
    private readonly CapturedLogs _logs = new();

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite);
        // A second "process" on the same tables, with SmartPay pointed at this harness's sandbox (OAuth).
        _gateway = _h.Build(s => s.AddSingleton<ILoggerProvider>(_logs), JpmSmartPayTestSettings.For(_h.Sandbox.BaseAddress.ToString(), oauth: true));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private JpmSmartPayState Smp => _h.Sandbox.Services.GetRequiredService<JpmSmartPayState>();
    private PaymentFinisher Finisher => _gateway.GetRequiredService<PaymentFinisher>();
    private IPaymentStore Store => _gateway.GetRequiredService<IPaymentStore>();

    private async Task<(string SessionId, string PaymentRef, string TransactionId, StartedPayment Started)> StartAsync()
    {
        var (session, token) = _h.NewSession(currency: "eur");
        var sig = _gateway.GetRequiredService<CheckoutLinkSigner>().Sign("jpmsmartpay", PaymentMode.Test,
            new SnipcartGateway.Snipcart.SnipcartInvoice { Currency = session.Invoice.Currency, Amount = session.Invoice.Amount, TargetId = session.Invoice.TargetId })!;
        var started = await _gateway.GetRequiredService<CheckoutService>().StartAsync(new StartPaymentCommand(token, "jpmsmartpay", "test", sig), CancellationToken.None);
        var transaction = Smp.FindByReference(started.PaymentRef)!;
        return (session.Id, started.PaymentRef, transaction.TransactionId, started);
    }

    private async Task<PaymentAttempt> AttemptAsync(string paymentRef) => (await Store.GetAttemptAsync(paymentRef))!.Value;

    private int Processed(string sessionId) => _h.StatesToldFor(sessionId).Count(s => s == "processed");

    [Fact]
    public async Task The_page_gets_the_widget_and_the_attempt_keeps_the_pair_before_it()
    {
        var (_, paymentRef, transactionId, started) = await StartAsync();

        Assert.Null(started.RedirectUrl);
        Assert.Equal("jpmsmartpay", started.Widget!["kind"]);
        Assert.Equal(transactionId, started.Widget["transactionId"]);
        Assert.Equal(Smp.Get(transactionId)!.CheckoutToken, started.Widget["checkoutToken"]);
        Assert.EndsWith("/jpmsmartpay/web-sdk.js", started.Widget["scriptUrl"]);
        var attempt = await AttemptAsync(paymentRef);
        Assert.Equal(transactionId, attempt.ProviderPaymentId);
        Assert.Equal(transactionId, attempt.ProviderData["transactionId"]);
        Assert.Equal(started.Widget["checkoutToken"], attempt.ProviderData["checkoutToken"]);
        Assert.Equal(paymentRef, await Store.FindPaymentRefAsync("jpmsmartpay", transactionId));
    }

    [Fact]
    public async Task A_success_callback_for_an_unpaid_transaction_confirms_nothing()
    {
        var (sessionId, paymentRef, _, _) = await StartAsync();

        // What the page does after the widget's successHandler: ask our server, which asks SmartPay (still CREATED).
        var answer = await CheckoutApi.StatusAsync(paymentRef, Store, Finisher, _h.Clock, CancellationToken.None);

        var body = Assert.IsType<Ok<CheckoutApi.PaymentStatusResponse>>(answer).Value!;
        Assert.False(body.Confirmed);
        Assert.Empty(_h.StatesToldFor(sessionId));
        Assert.Equal(PaymentStatus.AwaitingShopper, (await AttemptAsync(paymentRef)).Status);
    }

    [Fact]
    public async Task A_paid_transaction_is_confirmed_once_and_keeps_what_support_asks_for()
    {
        var (sessionId, paymentRef, transactionId, _) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.Captured);

        var first = await CheckoutApi.StatusAsync(paymentRef, Store, Finisher, _h.Clock, CancellationToken.None);
        await Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);

        Assert.True(Assert.IsType<Ok<CheckoutApi.PaymentStatusResponse>>(first).Value!.Confirmed);
        Assert.Equal(1, Processed(sessionId));
        var attempt = await AttemptAsync(paymentRef);
        Assert.Equal(transactionId, attempt.TransactionId);
        Assert.Equal("CAPTURED", attempt.ProviderData["paymentStatus"]);
        Assert.True(attempt.ProviderData.ContainsKey("reconciliationReferenceId"));
        Assert.True(attempt.ProviderData.ContainsKey("creationDate"));
        Assert.Contains(transactionId, attempt.ProviderData["statusAnswer"]);
        Assert.Equal(Smp.Get(transactionId)!.CheckoutToken, attempt.ProviderData["checkoutToken"]); // the pair stays for support
    }

    [Fact]
    public async Task A_status_with_another_amount_is_never_confirmed()
    {
        var (sessionId, paymentRef, transactionId, _) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.Captured);
        Smp.AnswerAmount(transactionId, 1.00m);

        await Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _gateway.GetRequiredService<ReconciliationService>().RunAsync(CancellationToken.None);

        Assert.Equal(0, Processed(sessionId));
        var attempt = await AttemptAsync(paymentRef);
        Assert.Equal(PaymentVerification.MismatchCode, attempt.FailureCode);
        Assert.True(attempt.NeedsAttention);
    }

    [Fact]
    public async Task A_payment_pending_past_the_three_checks_is_confirmed_later_by_reconciliation_once()
    {
        var (sessionId, paymentRef, transactionId, _) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.AuthorizationPending);
        var reconciliation = _gateway.GetRequiredService<ReconciliationService>();

        // The first check (a notification), then the three SmartPay asks for, a minute apart, within three minutes.
        var startedAt = _h.Clock.GetUtcNow();
        await Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        for (var check = 0; check < 3; check++)
        {
            _h.Clock.Advance(TimeSpan.FromSeconds(61));
            await reconciliation.RunAsync(CancellationToken.None);
        }
        Assert.True(_h.Clock.GetUtcNow() - startedAt < TimeSpan.FromMinutes(3.1));
        Assert.Equal(4, Smp.Calls.Count(c => c.Path == "/jpmsmartpay/payment/status/" + transactionId));
        Assert.Single(_logs.Errors, e => e.Contains(paymentRef, StringComparison.Ordinal) && e.Contains("after the 3 checks", StringComparison.Ordinal));
        Assert.Equal(0, Processed(sessionId));
        Assert.Equal(PaymentStatus.Pending, (await AttemptAsync(paymentRef)).Status);

        Smp.SetStatus(transactionId, JpmStatuses.Captured);
        for (var run = 0; run < 3; run++)
        {
            _h.Clock.Advance(TimeSpan.FromHours(1));
            await reconciliation.RunAsync(CancellationToken.None);
        }

        Assert.Equal(1, Processed(sessionId));
        Assert.Equal(PaymentStatus.Paid, (await AttemptAsync(paymentRef)).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_abandoned_checkout_is_closed_quietly_whether_or_not_smartpay_lets_us_cancel_it(bool smartPayCancelsCreated)
    {
        var (sessionId, paymentRef, transactionId, _) = await StartAsync();
        Smp.Settings.CancelCreated = smartPayCancelsCreated;
        try
        {
            var reconciliation = _gateway.GetRequiredService<ReconciliationService>();
            for (var run = 0; run < 3; run++)
            {
                _h.Clock.Advance(TimeSpan.FromHours(13));
                await reconciliation.RunAsync(CancellationToken.None);
            }

            var attempt = await AttemptAsync(paymentRef);
            Assert.True(attempt.Abandoned);
            Assert.False(attempt.NeedsAttention);
            Assert.NotEqual("void_refused", attempt.FailureCode);
            Assert.Contains(Smp.Calls, c => c.Path == "/jpmsmartpay/payment/cancelOrRefund" && c.StatusCode == (smartPayCancelsCreated ? 200 : 422));
            Assert.Equal(smartPayCancelsCreated ? JpmStatuses.Cancelled : JpmStatuses.Created, Smp.Get(transactionId)!.Status);
            Assert.Empty(_h.StatesToldFor(sessionId));
        }
        finally
        {
            Smp.Settings.CancelCreated = true;
        }
    }

    [Fact]
    public async Task A_refund_retried_by_snipcart_refunds_once()
    {
        var (_, paymentRef, transactionId, _) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.Captured);
        await Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);
        var attempt = await AttemptAsync(paymentRef);
        var refunds = _gateway.GetRequiredService<RefundService>();

        var first = await refunds.RefundAsync(new RefundCommand(paymentRef, attempt.RefundKey, 20m, null, null), CancellationToken.None);
        var retried = await refunds.RefundAsync(new RefundCommand(paymentRef, attempt.RefundKey, 20m, null, null), CancellationToken.None);

        Assert.Equal(first, retried);
        var transaction = Smp.Get(transactionId)!;
        Assert.Equal(20m, transaction.Refunded);
        Assert.Single(transaction.Modifications);
        Assert.Equal(first, transaction.Modifications[0].ModificationId);
    }

    [Fact]
    public async Task A_notification_with_wrong_credentials_gets_401_and_changes_nothing()
    {
        var (sessionId, paymentRef, transactionId, _) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.Captured);
        var before = await AttemptAsync(paymentRef);

        var refused = await NotifyAsync(transactionId, JpmSmartPayTestSettings.NotificationUser, "not-the-password");

        Assert.Equal(StatusCodes.Status401Unauthorized, refused);
        var after = await AttemptAsync(paymentRef);
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Null(after.ConfirmedState);
        Assert.Empty(_h.StatesToldFor(sessionId));

        var accepted = await NotifyAsync(transactionId, JpmSmartPayTestSettings.NotificationUser, JpmSmartPayTestSettings.NotificationPassword);
        Assert.Equal(StatusCodes.Status200OK, accepted);
        Assert.Equal(1, Processed(sessionId));
    }

    private async Task<int?> NotifyAsync(string transactionId, string user, string password)
    {
        var body = $$"""{"id":"{{Guid.NewGuid()}}","merchantKey":"{{new JpmSmartPaySandboxSettings().MerchantKey}}","eventType":"updated","objectId":"{{transactionId}}","objectType":"payment","origin":"automated"}""";
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentType = "application/json";
        context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var result = await ProviderCallbacksApi.HandleAsync("jpmsmartpay", context.Request,
            _gateway.GetRequiredService<IProviderRegistry>(), Finisher, Store, _h.Clock, _gateway.GetRequiredService<ILoggerFactory>(), CancellationToken.None);
        return (result as IStatusCodeHttpResult)?.StatusCode;
    }

    [Fact]
    public async Task With_auto_capture_off_an_authorisation_is_captured_once_then_confirmed_processed_once()
    {
        var (sessionId, paymentRef, transactionId, _) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.AuthorizationCompleted);

        // The shopper's return and a notification race; the timer looks again later.
        await Task.WhenAll(
            Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn),
            Finisher.FinishAsync(paymentRef, FinishTrigger.Notification));
        _h.Clock.Advance(TimeSpan.FromMinutes(10));
        await _gateway.GetRequiredService<ReconciliationService>().RunAsync(CancellationToken.None);

        Assert.Equal(1, Smp.Captures(transactionId));
        Assert.Equal(JpmStatuses.Captured, Smp.Get(transactionId)!.Status);
        Assert.Equal(1, Processed(sessionId));
        Assert.Equal(SnipcartPaymentState.Processed, (await AttemptAsync(paymentRef)).ConfirmedState);
    }

    [Fact]
    public async Task A_capture_refused_after_the_authorisation_lapsed_voids_it_and_tells_the_waiting_shopper_failed()
    {
        var (sessionId, paymentRef, transactionId, _) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.AuthorizationCompleted);
        Smp.ExpireAuthorization(transactionId);

        await Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);

        Assert.Equal(0, Smp.Captures(transactionId));
        Assert.Equal(JpmStatuses.Cancelled, Smp.Get(transactionId)!.Status);
        Assert.Equal(["failed"], _h.StatesToldFor(sessionId));
        var attempt = await AttemptAsync(paymentRef);
        Assert.Equal((FlagCodes.CaptureFailed, true), (attempt.FailureCode, attempt.NeedsAttention));
    }
}
