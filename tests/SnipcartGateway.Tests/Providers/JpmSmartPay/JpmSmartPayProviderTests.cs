using System.Text;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.JpmSmartPay;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

/// <summary>The SmartPay adapter against the simulated SmartPay, with both authentication schemes.</summary>
public sealed class JpmSmartPayProviderTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private readonly AllLogs _logs = new();
    private readonly List<ServiceProvider> _adapters = [];

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var adapter in _adapters)
        {
            await adapter.DisposeAsync();
        }
        await _sandbox.DisposeAsync();
    }

    private JpmSmartPayState Smp => _sandbox.Services.GetRequiredService<JpmSmartPayState>();

    private IPaymentProvider Adapter(bool oauth)
    {
        var services = JpmSmartPayTestSettings.Adapter(JpmSmartPayTestSettings.For(_sandbox.BaseUrl, oauth), _logs);
        _adapters.Add(services);
        return services.GetServices<IPaymentProvider>().Single(p => p.Id == "jpmsmartpay");
    }

    private static ProviderPaymentRequest Request(string paymentRef, decimal amount = 12.3m, string language = "fr", bool shipped = true) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        Amount = new Money(amount, "eur"),
        Description = new string('x', 200),
        Invoice = new SnipcartInvoice
        {
            Currency = "eur",
            Amount = amount,
            Email = "marie.curie@example.com",
            Language = language,
            BillingAddress = new SnipcartAddress { Name = "Marie Curie", StreetAndNumber = "Rue Pierre 11", PostalCode = "75005", City = "Paris", Country = "fr" },
            ShippingAddress = new SnipcartAddress { Name = "Marie Curie", StreetAndNumber = "Rue Pierre 11", PostalCode = "75005", City = "Paris", Country = "FR" },
            Items = [new SnipcartItem { Name = "Radium", Quantity = 1, UnitPrice = amount, Type = shipped ? "Physical" : "Digital" }],
        },
        ReturnUrl = new Uri("https://pay.example.com/gateway/api/checkout/return/" + paymentRef),
        CancelUrl = new Uri("https://pay.example.com/gateway/api/checkout/cancel/" + paymentRef),
        NotificationUrl = new Uri("https://pay.example.com/gateway/api/providers/jpmsmartpay/notifications?mode=test"),
        Language = language,
    };

    private static ProviderPaymentLookup Lookup(ProviderPaymentCreated created, string paymentRef) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        ProviderPaymentId = created.ProviderPaymentId,
        ProviderData = created.ProviderData!,
    };

    [Fact]
    public void Identity_capabilities_rhythm_and_widget_origins()
    {
        var provider = Adapter(oauth: false);
        Assert.Equal("SmartPay by J.P. Morgan", provider.DisplayName);
        Assert.Equal(new ProviderCapabilities(Refunds: true, PartialRefunds: true, EchoesAmount: true, EchoesReference: false, Cancel: true, RefundLookup: true, Capture: true), provider.Capabilities);
        Assert.Equal([TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)], provider.Rhythm.PendingChecks);
        Assert.Equal([_sandbox.BaseUrl], provider.WidgetOrigins);
        Assert.True(provider.Supports(PaymentMode.Test, "eur", "FR"));
        Assert.False(provider.Supports(PaymentMode.Test, "USD", "US"));
        Assert.False(provider.Supports(PaymentMode.Live, "EUR", "FR")); // no live settings
    }

    [Fact]
    public async Task Widget_origins_are_the_scripts_the_stylesheets_and_the_configured_ones_and_the_page_gets_the_stylesheet()
    {
        var settings = JpmSmartPayTestSettings.For(_sandbox.BaseUrl, oauth: false);
        settings["Providers:JpmSmartPay:Test:WidgetOrigins"] = "https://api.smartpay.example, https://pci-proxy.tokenization.jpmmps.com:443";
        settings["Providers:JpmSmartPay:Test:StylesheetUrl"] = "https://styles.example/smartpay-style.css";
        var services = JpmSmartPayTestSettings.Adapter(settings, _logs);
        _adapters.Add(services);
        var provider = services.GetServices<IPaymentProvider>().Single(p => p.Id == "jpmsmartpay");

        Assert.Equal([_sandbox.BaseUrl, "https://styles.example", "https://api.smartpay.example", "https://pci-proxy.tokenization.jpmmps.com"], provider.WidgetOrigins);
        var created = await provider.CreatePaymentAsync(Request("pay_styled"));
        Assert.Equal("https://styles.example/smartpay-style.css", created.Widget!.Values["stylesheetUrl"]);
    }

    [Theory]
    [InlineData(false, "Basic")]
    [InlineData(true, "Bearer")]
    public async Task Create_sends_the_documented_body_and_headers_and_answers_a_widget(bool oauth, string scheme)
    {
        var provider = Adapter(oauth);
        var created = await provider.CreatePaymentAsync(Request("pay_create1"));

        var transaction = Smp.FindByReference("pay_create1")!;
        Assert.Equal(transaction.TransactionId, created.ProviderPaymentId);
        Assert.Equal("jpmsmartpay", created.Widget!.Kind);
        Assert.Equal(new Uri(_sandbox.BaseUrl + "/jpmsmartpay/web-sdk.js"), created.Widget.ScriptUrl);
        Assert.Equal(transaction.CheckoutToken, created.Widget.Values["checkoutToken"]);
        Assert.Equal(transaction.TransactionId, created.Widget.Values["transactionId"]);
        Assert.Equal(transaction.CheckoutToken, created.ProviderData!["checkoutToken"]);
        Assert.Equal(transaction.TransactionId, created.ProviderData["transactionId"]);

        var call = Smp.Calls.Single(c => c.Path == "/jpmsmartpay/payment/creation");
        Assert.Equal(200, call.StatusCode);
        Assert.Equal(scheme, call.AuthScheme);
        Assert.Equal("https://pay.example.com", call.Origin);
        Assert.Equal("en-US", call.AcceptLanguage); // the seed's value, whatever the shopper's language
        Assert.StartsWith("snipcart-gateway/", call.UserAgent);
        Assert.StartsWith("application/json", call.ContentType);
        using var body = JsonDocument.Parse(call.Body!);
        var root = body.RootElement;
        Assert.Equal("pay_create1", root.GetProperty("partnerReference").GetString());
        Assert.Equal("12.30", root.GetProperty("payment").GetProperty("amount").GetRawText());
        Assert.Equal("EUR", root.GetProperty("payment").GetProperty("currencyCode").GetString());
        Assert.Equal(127, root.GetProperty("payment").GetProperty("description").GetString()!.Length);
        Assert.Equal("Marie", root.GetProperty("consumer").GetProperty("firstName").GetString());
        Assert.Equal("Curie", root.GetProperty("consumer").GetProperty("lastName").GetString());
        Assert.Equal("marie.curie@example.com", root.GetProperty("consumer").GetProperty("emailAddress").GetString());
        Assert.Equal("Rue Pierre", root.GetProperty("billingAddress").GetProperty("addressLine1").GetString());
        Assert.Equal("11", root.GetProperty("billingAddress").GetProperty("number").GetString());
        Assert.Equal("FR", root.GetProperty("billingAddress").GetProperty("countryCode").GetString());
        Assert.True(root.TryGetProperty("shippingAddress", out _));
    }

    [Fact]
    public async Task Each_attempt_gets_its_own_pair_and_digital_carts_send_no_shipping_address()
    {
        var provider = Adapter(oauth: false);
        var first = await provider.CreatePaymentAsync(Request("pay_pair1", shipped: false));
        var second = await provider.CreatePaymentAsync(Request("pay_pair2", shipped: false));
        Assert.NotEqual(first.ProviderPaymentId, second.ProviderPaymentId);
        Assert.NotEqual(first.Widget!.Values["checkoutToken"], second.Widget!.Values["checkoutToken"]);
        Assert.All(Smp.Calls.Where(c => c.Path.EndsWith("/creation", StringComparison.Ordinal)), c => Assert.DoesNotContain("shippingAddress", c.Body));
    }

    [Fact]
    public async Task OAuth_token_is_cached_and_an_expired_one_is_renewed_once_and_the_call_succeeds()
    {
        var provider = Adapter(oauth: true);
        var created = await provider.CreatePaymentAsync(Request("pay_oauth1"));
        await provider.GetPaymentAsync(Lookup(created, "pay_oauth1"));
        Assert.Equal(1, Smp.TokensIssued);

        Smp.ExpireTokens(); // the adapter still holds a token it believes good for an hour
        var seen = await provider.GetPaymentAsync(Lookup(created, "pay_oauth1"));

        Assert.Equal(PaymentStatus.AwaitingShopper, seen.Status);
        Assert.Equal(2, Smp.TokensIssued);
        var statusCalls = Smp.Calls.Where(c => c.Path.StartsWith("/jpmsmartpay/payment/status/", StringComparison.Ordinal)).Select(c => c.StatusCode).ToList();
        Assert.Equal([200, 401, 200], statusCalls);
    }

    [Fact]
    public async Task A_refused_renewal_is_not_retried_again()
    {
        var provider = Adapter(oauth: true);
        var created = await provider.CreatePaymentAsync(Request("pay_oauth2"));
        Smp.Settings.TokenLifetime = TimeSpan.Zero; // every new token is born expired
        Smp.ExpireTokens();
        try
        {
            var ex = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.GetPaymentAsync(Lookup(created, "pay_oauth2")));
            Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
            Assert.Equal(2, Smp.Calls.Count(c => c.Path.StartsWith("/jpmsmartpay/payment/status/", StringComparison.Ordinal)));
        }
        finally
        {
            Smp.Settings.TokenLifetime = TimeSpan.FromHours(1);
        }
    }

    [Fact]
    public async Task Wrong_basic_credentials_are_refused()
    {
        var settings = JpmSmartPayTestSettings.For(_sandbox.BaseUrl, oauth: false);
        settings["Providers:JpmSmartPay:Test:AuthenticationKey"] = "wrong-key";
        var services = JpmSmartPayTestSettings.Adapter(settings, _logs);
        _adapters.Add(services);
        var provider = services.GetServices<IPaymentProvider>().Single(p => p.Id == "jpmsmartpay");

        var ex = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CreatePaymentAsync(Request("pay_wrong")));
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Empty(Smp.Transactions);
    }

    [Theory]
    [InlineData("CREATED", PaymentStatus.AwaitingShopper, null)]
    [InlineData("AUTORIZATION_INITIALIZED", PaymentStatus.Pending, null)]
    [InlineData("AUTHORIZATION_PENDING", PaymentStatus.Pending, null)]
    [InlineData("CAPTURE_PENDING", PaymentStatus.Pending, null)]
    [InlineData("AUTHORIZATION_COMPLETED", PaymentStatus.Authorized, null)]
    [InlineData("CAPTURED", PaymentStatus.Paid, null)]
    [InlineData("SETTLED", PaymentStatus.Paid, null)]
    [InlineData("AUTHORIZATION_FAILED", PaymentStatus.Failed, "authorization_failed")]
    [InlineData("CAPTURE_FAILED", PaymentStatus.Failed, "capture_failed")]
    [InlineData("CANCELLED", PaymentStatus.Canceled, "cancelled")]
    public async Task Status_maps_smartpay_words_and_keeps_what_support_asks_for(string word, PaymentStatus expected, string? code)
    {
        var provider = Adapter(oauth: false);
        var created = await provider.CreatePaymentAsync(Request("pay_status_" + word.ToLowerInvariant()));
        Smp.SetStatus(created.ProviderPaymentId, word);

        var seen = await provider.GetPaymentAsync(Lookup(created, "pay_status_" + word.ToLowerInvariant()));

        Assert.Equal(expected, seen.Status);
        Assert.Equal(word, seen.ProviderStatus);
        Assert.Equal(code, seen.FailureCode);
        Assert.Equal(new Money(12.30m, "EUR"), seen.Amount);
        Assert.Null(seen.Reference); // the status answer does not carry partnerReference
        Assert.Equal(created.ProviderPaymentId, seen.TransactionId);
        foreach (var key in new[] { "transactionId", "reconciliationReferenceId", "paymentStatus", "creationDate", "statusAnswer" })
        {
            Assert.True(seen.ProviderData!.ContainsKey(key), key);
        }
        Assert.Contains("\"paymentStatus\":\"" + word + "\"", seen.ProviderData!["statusAnswer"]);
    }

    [Fact]
    public void An_unknown_status_word_stays_pending() =>
        Assert.Equal(PaymentStatus.Pending, JpmSmartPayStatuses.Parse("SOMETHING_NEW").ToPaymentStatus());

    [Theory]
    [InlineData(true, RefundStatus.Succeeded)]
    [InlineData(false, RefundStatus.Failed)]
    public async Task A_refund_left_pending_is_followed_through_the_status_answers_modifications(bool succeeds, RefundStatus settled)
    {
        var provider = Adapter(oauth: true);
        var created = await provider.CreatePaymentAsync(Request("pay_refund2", amount: 50m));
        Smp.SetStatus(created.ProviderPaymentId, "CAPTURED");
        Smp.RefundsSettleLater = true;
        try
        {
            var pending = await provider.RefundAsync(new ProviderRefundRequest
            {
                PaymentRef = "pay_refund2", RefundRef = "rf_pending", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
                Amount = new Money(20m, "EUR"), PaymentAmount = new Money(50m, "EUR"), ProviderData = created.ProviderData!,
            });
            var lookup = new ProviderRefundLookup
            {
                PaymentRef = "pay_refund2", RefundRef = "rf_pending", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
                Amount = new Money(20m, "EUR"), ProviderData = created.ProviderData!,
            };
            var unknown = lookup with { RefundRef = "rf_never_asked" };

            Assert.Equal(RefundStatus.Pending, pending.Status);
            Assert.Equal(RefundStatus.Pending, (await provider.GetRefundAsync(lookup)).Status);
            Assert.Equal(RefundStatus.Pending, (await provider.GetRefundAsync(unknown)).Status);
            Assert.True(Smp.SettleRefund(created.ProviderPaymentId, "rf_pending", succeeds));
            Assert.Equal(settled, (await provider.GetRefundAsync(lookup)).Status);
        }
        finally
        {
            Smp.RefundsSettleLater = false;
        }
    }

    [Fact]
    public async Task A_refund_retried_under_the_same_id_refunds_once_and_partial_refunds_add_up()
    {
        var provider = Adapter(oauth: true);
        var created = await provider.CreatePaymentAsync(Request("pay_refund1", amount: 50m));
        Smp.SetStatus(created.ProviderPaymentId, "CAPTURED");
        ProviderRefundRequest Refund(string id, decimal amount) => new()
        {
            PaymentRef = "pay_refund1",
            RefundRef = id,
            Mode = PaymentMode.Test,
            ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(amount, "EUR"),
            PaymentAmount = new Money(50m, "EUR"),
            ProviderData = created.ProviderData!,
        };

        var first = await provider.RefundAsync(Refund("rf_1", 20m));
        var retried = await provider.RefundAsync(Refund("rf_1", 20m));
        var second = await provider.RefundAsync(Refund("rf_2", 30m));

        Assert.Equal(RefundStatus.Succeeded, first.Status);
        Assert.Equal(RefundStatus.Succeeded, retried.Status);
        Assert.Equal(RefundStatus.Succeeded, second.Status);
        Assert.Equal(50m, Smp.Get(created.ProviderPaymentId)!.Refunded);
        Assert.Equal(2, Smp.Get(created.ProviderPaymentId)!.Modifications.Count);
        var body = JsonDocument.Parse(Smp.Calls.First(c => c.Path == "/jpmsmartpay/payment/refund").Body!).RootElement;
        Assert.Equal("rf_1", body.GetProperty("modificationId").GetString());
        Assert.Equal("20.00", body.GetProperty("modifiedAmount").GetProperty("amount").GetRawText());
        Assert.Equal("EUR", body.GetProperty("modifiedAmount").GetProperty("currencyCode").GetString());

        var seen = await provider.GetPaymentAsync(Lookup(created, "pay_refund1"));
        Assert.Equal(new Money(50m, "EUR"), seen.RefundedAmount);

        var refused = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.RefundAsync(Refund("rf_3", 1m)));
        Assert.True(refused.IsRejection);
        Assert.Equal("REFUND_AMOUNT_EXCEEDED", refused.ErrorCode);
    }

    [Fact]
    public async Task Cancel_voids_an_unpaid_checkout_but_never_a_paid_one()
    {
        var provider = Adapter(oauth: false);
        var unpaid = await provider.CreatePaymentAsync(Request("pay_cancel1"));
        var paid = await provider.CreatePaymentAsync(Request("pay_cancel2"));
        Smp.SetStatus(paid.ProviderPaymentId, "CAPTURED");
        ProviderCancelRequest Cancel(ProviderPaymentCreated created, string paymentRef) => new()
        {
            PaymentRef = paymentRef,
            Mode = PaymentMode.Test,
            ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(12.30m, "EUR"),
            ProviderData = created.ProviderData!,
        };

        var cancelled = await provider.CancelPaymentAsync(Cancel(unpaid, "pay_cancel1"));
        var refused = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CancelPaymentAsync(Cancel(paid, "pay_cancel2")));
        Assert.True(refused.IsRejection); // the core looks again at once, and finds it paid

        Assert.True(cancelled.Canceled);
        Assert.Equal("CANCELLED", Smp.Get(unpaid.ProviderPaymentId)!.Status);
        Assert.Equal("CAPTURED", Smp.Get(paid.ProviderPaymentId)!.Status);
        Assert.Empty(Smp.Get(paid.ProviderPaymentId)!.Modifications);
    }

    [Fact]
    public async Task The_status_get_carries_no_body_and_no_content_type()
    {
        var provider = Adapter(oauth: false);
        var created = await provider.CreatePaymentAsync(Request("pay_get1"));

        await provider.GetPaymentAsync(Lookup(created, "pay_get1"));

        var get = Smp.Calls.Single(c => c.Method == "GET");
        Assert.Equal(200, get.StatusCode);
        Assert.Null(get.ContentType);
        Assert.Null(get.Body);
        Assert.Equal("en-US", get.AcceptLanguage);
        Assert.All(Smp.Calls.Where(c => c.Method == "POST"), c => Assert.StartsWith("application/json", c.ContentType));
    }

    [Fact]
    public async Task A_refund_answered_without_our_modification_is_outcome_unknown_not_succeeded()
    {
        var provider = Adapter(oauth: false);
        var created = await provider.CreatePaymentAsync(Request("pay_refund_unknown", amount: 20m));
        Smp.SetStatus(created.ProviderPaymentId, "CAPTURED");
        Smp.Settings.ModificationsInAnswers = false;
        try
        {
            var unknown = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.RefundAsync(new ProviderRefundRequest
            {
                PaymentRef = "pay_refund_unknown",
                RefundRef = "rf_unknown",
                Mode = PaymentMode.Test,
                ProviderPaymentId = created.ProviderPaymentId,
                Amount = new Money(5m, "EUR"),
                PaymentAmount = new Money(20m, "EUR"),
                ProviderData = created.ProviderData!,
            }));
            // No status code: the core keeps the amount reserved and asks again under the same modificationId.
            Assert.Null(unknown.StatusCode);
            Assert.False(unknown.IsRejection);
        }
        finally
        {
            Smp.Settings.ModificationsInAnswers = true;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_created_checkout_smartpay_will_not_cancel_is_left_to_expire_but_other_refusals_stay_refusals(bool smartPayCancelsCreated)
    {
        var provider = Adapter(oauth: false);
        var unpaid = await provider.CreatePaymentAsync(Request("pay_void_created"));
        var inFlight = await provider.CreatePaymentAsync(Request("pay_void_inflight"));
        Smp.Settings.CancelCreated = smartPayCancelsCreated;
        try
        {
            var voided = await provider.CancelPaymentAsync(CancelOf(unpaid, "pay_void_created"));
            Assert.Equal(smartPayCancelsCreated, voided.Canceled);
            Assert.Equal(smartPayCancelsCreated ? "CANCELLED" : "CREATED", Smp.Get(unpaid.ProviderPaymentId)!.Status);
            if (!smartPayCancelsCreated)
            {
                Assert.Equal("TRANSACTION_NOT_MODIFIABLE", voided.ProviderData!["cancelRefused"]);
            }

            // CREATED when asked, then the shopper submits: the cancel is refused and the transaction is in flight, so
            // the refusal stands (the core flags it and the next lookup decides).
            Smp.SetStatus(inFlight.ProviderPaymentId, "CREATED", path: ["AUTHORIZATION_PENDING"]);
            var refused = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CancelPaymentAsync(CancelOf(inFlight, "pay_void_inflight")));
            Assert.True(refused.IsRejection);
        }
        finally
        {
            Smp.Settings.CancelCreated = true;
        }
    }

    private static ProviderCancelRequest CancelOf(ProviderPaymentCreated created, string paymentRef) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        ProviderPaymentId = created.ProviderPaymentId,
        Amount = new Money(12.30m, "EUR"),
        ProviderData = created.ProviderData!,
    };

    [Fact]
    public async Task Notifications_need_the_registered_basic_credentials_and_name_the_transaction()
    {
        var provider = Adapter(oauth: false);
        var body = """{"id":"n1","merchantKey":"x","eventType":"updated","objectId":"fc10f767-12a7-46d0-9da0-4af6b5b67c4d","objectType":"payment","origin":"widget"}""";
        ProviderNotificationRequest With(string? user, string? password, PaymentMode? mode = PaymentMode.Test) => new()
        {
            Body = body,
            Headers = user is null ? new Dictionary<string, string>() : new Dictionary<string, string>
            {
                ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")),
            },
            Mode = mode,
        };

        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => provider.ParseNotificationAsync(With(null, null)));
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => provider.ParseNotificationAsync(With(JpmSmartPayTestSettings.NotificationUser, "wrong")));
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => provider.ParseNotificationAsync(With(JpmSmartPayTestSettings.NotificationUser, JpmSmartPayTestSettings.NotificationPassword + "x")));

        var parsed = await provider.ParseNotificationAsync(With(JpmSmartPayTestSettings.NotificationUser, JpmSmartPayTestSettings.NotificationPassword));
        Assert.Equal("fc10f767-12a7-46d0-9da0-4af6b5b67c4d", parsed.ProviderPaymentId);
        Assert.Null(parsed.PaymentRef);
        Assert.Equal(PaymentMode.Test, parsed.Mode);
        Assert.True(parsed.Relevant);

        var unmoded = await provider.ParseNotificationAsync(With(JpmSmartPayTestSettings.NotificationUser, JpmSmartPayTestSettings.NotificationPassword, mode: null));
        Assert.Null(unmoded.Mode); // same credentials in both modes, and "x" is no mode's merchant key
    }

    [Fact]
    public async Task No_secret_or_token_reaches_any_log_line()
    {
        foreach (var oauth in new[] { false, true })
        {
            var provider = Adapter(oauth);
            var paymentRef = "pay_logs_" + oauth;
            var created = await provider.CreatePaymentAsync(Request(paymentRef));
            Smp.SetStatus(created.ProviderPaymentId, "CAPTURED");
            Smp.ExpireTokens();
            await provider.GetPaymentAsync(Lookup(created, paymentRef));
            await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.GetPaymentAsync(Lookup(created with { ProviderPaymentId = "nope", ProviderData = new Dictionary<string, string>() }, paymentRef)));
        }
        var account = new JpmSmartPaySandboxSettings();
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{account.MerchantKey}:{account.AuthenticationKey}"));
        var text = _logs.Text;
        Assert.Contains("System.Net.Http.HttpClient.jpmsmartpay", text); // the HTTP client really logged
        foreach (var secret in new[] { account.AuthenticationKey, account.ClientSecret, basic, account.MerchantKey })
        {
            Assert.DoesNotContain(secret, text);
        }
        foreach (var transaction in Smp.Transactions)
        {
            Assert.DoesNotContain(transaction.CheckoutToken, text);
        }
        Assert.DoesNotContain("eyJ", text); // no access token
    }
}
