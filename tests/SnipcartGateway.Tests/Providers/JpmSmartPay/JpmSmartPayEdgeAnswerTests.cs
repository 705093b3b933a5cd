using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Api;
using SnipcartGateway.Configuration;
using SnipcartGateway.Domain;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.JpmSmartPay;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Payments;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

/// <summary>the adapter on answers the simulator does not give (a status that names no transaction).</summary>
public sealed class JpmSmartPayUnnamedTransactionTests
{
    private sealed class CannedHandler(string json) : HttpMessageHandler
    {
        public List<string> Paths { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Paths.Add(request.RequestUri!.AbsolutePath);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
        }
    }

    private static (IPaymentProvider Provider, ServiceProvider Services) Adapter(CannedHandler handler)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:PublicBaseUrl"] = "https://pay.example.com/gateway",
            ["Providers:JpmSmartPay:Enabled"] = "true",
            ["Providers:JpmSmartPay:Test:BaseUrl"] = "https://smp.example.test",
            ["Providers:JpmSmartPay:Test:MerchantKey"] = new string('m', 36),
            ["Providers:JpmSmartPay:Test:AuthenticationKey"] = "auth-key",
            ["Providers:JpmSmartPay:Test:WidgetScriptUrl"] = "https://sdk.example.test/smp-bundle.js",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGatewayOptions();
        services.AddJpmSmartPayProvider(configuration);
        services.AddHttpClient(JpmSmartPayClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        var built = services.BuildServiceProvider();
        return (built.GetServices<IPaymentProvider>().Single(p => p.Id == "jpmsmartpay"), built);
    }

    [Fact]
    public async Task A_paid_status_that_names_no_transaction_is_not_taken_as_ours()
    {
        // Amount and currency match, the word is CAPTURED, but nothing in the answer says which transaction it is
        // about: the issue wants transactionId checked before anything is paid.
        var handler = new CannedHandler("""{"paymentStatus":"CAPTURED","transactionOverview":{"amount":12.30,"currencyCode":"EUR"}}""");
        var (provider, services) = Adapter(handler);
        await using var _ = services;

        await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.GetPaymentAsync(new ProviderPaymentLookup
        {
            PaymentRef = "pay_review4_noid",
            Mode = PaymentMode.Test,
            ProviderPaymentId = "tx-123",
            ProviderData = new Dictionary<string, string> { ["transactionId"] = "tx-123" },
            Amount = new Money(12.30m, "EUR"),
        }));
        Assert.Equal(["/payment/status/tx-123"], handler.Paths);
    }
}

/// <summary>how many token renewals one logical call can make when 401s and 5xx interleave.</summary>
public sealed class JpmSmartPayTokenRenewalTests
{
    private sealed class Scripted(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        private int _next;
        public int Sent => _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var code = answers[Math.Min(_next++, answers.Length - 1)];
            var body = code == HttpStatusCode.OK
                ? """{"paymentStatus":"CREATED","transactionOverview":{"transactionId":"tx-1","amount":12.30,"currencyCode":"EUR"}}"""
                : "{}";
            return Task.FromResult(new HttpResponseMessage(code) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    private sealed class Tokens : HttpMessageHandler
    {
        public int Issued;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref Issued);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($$"""{"access_token":"tok{{n}}","expires_in":3600,"token_type":"Bearer"}""", Encoding.UTF8, "application/json"),
            });
        }
    }

    [Fact]
    public async Task One_status_call_renews_the_token_at_most_once()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:PublicBaseUrl"] = "https://pay.example.com/gateway",
            ["Providers:JpmSmartPay:Enabled"] = "true",
            ["Providers:JpmSmartPay:Test:BaseUrl"] = "https://smp.example.test",
            ["Providers:JpmSmartPay:Test:MerchantKey"] = new string('m', 36),
            ["Providers:JpmSmartPay:Test:TokenUrl"] = "https://auth.example.test/oauth2/token",
            ["Providers:JpmSmartPay:Test:ClientId"] = "client",
            ["Providers:JpmSmartPay:Test:ClientSecret"] = "client-secret",
            ["Providers:JpmSmartPay:Test:WidgetScriptUrl"] = "https://sdk.example.test/smp-bundle.js",
        };
        var api = new Scripted(HttpStatusCode.Unauthorized, HttpStatusCode.ServiceUnavailable, HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        var tokens = new Tokens();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGatewayOptions();
        services.AddJpmSmartPayProvider(configuration);
        services.AddHttpClient(JpmSmartPayClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => api);
        services.AddHttpClient(JpmSmartPayTokenSource.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => tokens);
        await using var built = services.BuildServiceProvider();
        var provider = built.GetServices<IPaymentProvider>().Single(p => p.Id == "jpmsmartpay");

        try
        {
            await provider.GetPaymentAsync(new ProviderPaymentLookup
            {
                PaymentRef = "pay_review4_tok",
                Mode = PaymentMode.Test,
                ProviderPaymentId = "tx-1",
                ProviderData = new Dictionary<string, string>(),
                Amount = new Money(12.30m, "EUR"),
            });
        }
        catch (JpmSmartPayException)
        {
        }

        // The first token, and one renewal after the first 401: never a second renewal in the same call.
        Assert.True(tokens.Issued <= 2, $"{tokens.Issued} tokens fetched for one call ({api.Sent} sends)");
    }
}

/// <summary>SmartPay through the core (Azurite + simulated SmartPay).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JpmSmartPayCoreEdgeTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private PaymentCoreHarness _h = null!;
    private ServiceProvider _gateway = null!;
    private readonly CapturedLogs _logs = new();

    public Task InitializeAsync()
    {
        _h = PaymentCoreHarness.Start(azurite);
        _gateway = _h.Build(s => s.AddSingleton<ILoggerProvider>(_logs), JpmSmartPayTestSettings.For(_h.Sandbox.BaseAddress.ToString(), oauth: false));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private JpmSmartPayState Smp => _h.Sandbox.Services.GetRequiredService<JpmSmartPayState>();
    private PaymentFinisher Finisher => _gateway.GetRequiredService<PaymentFinisher>();
    private IPaymentStore Store => _gateway.GetRequiredService<IPaymentStore>();

    private async Task<(string SessionId, string PaymentRef, string TransactionId)> StartAsync()
    {
        var (session, token) = _h.NewSession(currency: "eur");
        var sig = _gateway.GetRequiredService<CheckoutLinkSigner>().Sign("jpmsmartpay", PaymentMode.Test,
            new SnipcartGateway.Snipcart.SnipcartInvoice { Currency = session.Invoice.Currency, Amount = session.Invoice.Amount, TargetId = session.Invoice.TargetId })!;
        var started = await _gateway.GetRequiredService<CheckoutService>().StartAsync(new StartPaymentCommand(token, "jpmsmartpay", "test", sig), CancellationToken.None);
        return (session.Id, started.PaymentRef, Smp.FindByReference(started.PaymentRef)!.TransactionId);
    }

    [Fact]
    public async Task The_pages_two_second_polls_do_not_use_up_smartpays_three_checks()
    {
        var (sessionId, paymentRef, transactionId) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.AuthorizationPending);
        var statusPath = "/jpmsmartpay/payment/status/" + transactionId;

        // The widget's successHandler fired; the page polls every 2 s (checkout.js POLL_INTERVAL_MS) for 20 s.
        for (var poll = 0; poll < 10; poll++)
        {
            await CheckoutApi.StatusAsync(paymentRef, Store, Finisher, _h.Clock, CancellationToken.None);
            _h.Clock.Advance(TimeSpan.FromSeconds(2));
        }

        // The first poll tells the waiting shopper "processing" and gets Snipcart's returnUrl: later polls read the
        // store only. SmartPay was asked once, and the three checks are left to their minute-apart rhythm.
        Assert.Equal(1, Smp.Calls.Count(c => c.Path == statusPath));
        Assert.Equal(["processing"], _h.StatesToldFor(sessionId));
        Assert.DoesNotContain(_logs.Errors, e => e.Contains("after the 3 checks", StringComparison.Ordinal));
        var attempt = (await Store.GetAttemptAsync(paymentRef))!.Value;
        Assert.Equal(1, attempt.PendingChecks);
    }

    [Fact]
    public async Task A_notification_still_finishes_a_pending_payment_between_two_scheduled_checks()
    {
        var (sessionId, paymentRef, transactionId) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.AuthorizationPending);
        await CheckoutApi.StatusAsync(paymentRef, Store, Finisher, _h.Clock, CancellationToken.None);

        Smp.SetStatus(transactionId, JpmStatuses.Captured);
        _h.Clock.Advance(TimeSpan.FromSeconds(5));
        await Finisher.FinishAsync(paymentRef, FinishTrigger.Notification);
        var answer = await CheckoutApi.StatusAsync(paymentRef, Store, Finisher, _h.Clock, CancellationToken.None);

        Assert.True(Assert.IsType<Ok<CheckoutApi.PaymentStatusResponse>>(answer).Value!.Confirmed);
        Assert.Equal(1, _h.StatesToldFor(sessionId).Count(s => s == "processed"));
    }

    [Fact]
    public async Task Cancel_never_voids_a_journey_the_shopper_has_started_paying()
    {
        // The core asked to void an unpaid checkout (it saw CREATED); by the adapter's own look the shopper has
        // submitted the payment (AUTORIZATION_INITIALIZED: money on its way, which the core never closes).
        var (_, paymentRef, transactionId) = await StartAsync();
        Smp.SetStatus(transactionId, JpmStatuses.AuthorizationInitialized);
        var attempt = (await Store.GetAttemptAsync(paymentRef))!.Value;
        var provider = _gateway.GetRequiredService<IProviderRegistry>().Find("jpmsmartpay")!;

        var refused = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CancelPaymentAsync(new ProviderCancelRequest
        {
            PaymentRef = paymentRef,
            Mode = PaymentMode.Test,
            ProviderPaymentId = transactionId,
            Amount = attempt.Amount,
            ProviderData = attempt.ProviderData,
        }, CancellationToken.None));

        Assert.True(refused.IsRejection);
        Assert.DoesNotContain(Smp.Calls, c => c.Path == "/jpmsmartpay/payment/cancelOrRefund");
        Assert.Equal(JpmStatuses.AuthorizationInitialized, Smp.Get(transactionId)!.Status);
    }
    [Fact]
    public async Task A_payment_smartpay_refunded_in_full_before_we_confirmed_it_is_never_confirmed_processed()
    {
        // What the cancelOrRefund race leaves (the shopper completed the payment between the adapter's status check
        // and cancelOrRefund, which then refunded it), or a refund from SmartPay's dashboard: CAPTURED, refunded in full.
        var (sessionId, paymentRef, transactionId) = await StartAsync();
        var attempt = (await Store.GetAttemptAsync(paymentRef))!.Value;
        Smp.SetStatus(transactionId, JpmStatuses.Captured);
        var provider = _gateway.GetRequiredService<IProviderRegistry>().Find("jpmsmartpay")!;
        await provider.RefundAsync(new ProviderRefundRequest
        {
            PaymentRef = paymentRef,
            RefundRef = "cancel-" + paymentRef,
            Mode = PaymentMode.Test,
            ProviderPaymentId = transactionId,
            Amount = attempt.Amount,
            PaymentAmount = attempt.Amount,
            ProviderData = attempt.ProviderData,
        }, CancellationToken.None);
        Assert.Equal(attempt.Amount.Amount, Smp.Get(transactionId)!.Refunded);

        await Finisher.FinishAsync(paymentRef, FinishTrigger.ShopperReturn);

        Assert.DoesNotContain("processed", _h.StatesToldFor(sessionId));
        Assert.True((await Store.GetAttemptAsync(paymentRef))!.Value.NeedsAttention);
    }
}
