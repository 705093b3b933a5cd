using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.Smartpay;
using SnipcartGateway.Sandbox.Smartpay;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Providers.Smartpay;

/// <summary>The Smartpay adapter against the sandbox's Smartpay simulator, over HTTP on loopback.</summary>
public sealed class SmartpayProviderTests : IAsyncLifetime
{
    private const string TestKey = "sk_test_sandboxSmartpayLocal";
    private const string SigningSecret = "sandboxSmartpaySigningSecret0local";

    private LoopbackServer _merchant = null!;
    private SandboxFactory _sandbox = null!;
    private ServiceProvider _services = null!;
    private int _webhookAnswers = 200;

    public async Task InitializeAsync()
    {
        _merchant = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = _webhookAnswers;
            return Task.CompletedTask;
        });
        _sandbox = SandboxFactory.Start();
        // Webhooks go to this test's merchant, not to the (absent) gateway the sandbox registered at start-up.
        foreach (var endpoint in State.WebhookEndpoints)
        {
            State.RemoveWebhookEndpoint(endpoint.Id);
        }
        State.AddWebhookEndpoint(test: true, _merchant.BaseUrl + "/webhooks", null, null, SigningSecret);
        _services = Build();
    }

    private ServiceProvider Build(string captureMethod = "automatic", string key = TestKey) =>
        new ServiceCollection().AddLogging().AddSmartpayProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:Smartpay:Enabled"] = "true",
            ["Providers:Smartpay:ApiBaseUrl"] = _sandbox.BaseUrl + "/smartpay/v1",
            ["Providers:Smartpay:CaptureMethod"] = captureMethod,
            ["Providers:Smartpay:Test:SecretKey"] = key,
            ["Providers:Smartpay:Test:SigningSecret"] = SigningSecret,
        }).Build()).BuildServiceProvider();

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _merchant.DisposeAsync();
    }

    private SmartpayState State => _sandbox.Services.GetRequiredService<SmartpayState>();

    private IPaymentProvider Provider => _services.GetRequiredService<IPaymentProvider>();

    private static SnipcartInvoice Invoice(params SnipcartItem[] items) => new()
    {
        Currency = "jpy",
        Language = "ja-JP",
        Email = "hanako@example.jp",
        Amount = items.Sum(i => i.Type == "Discount" ? -Math.Abs(i.UnitPrice * i.Quantity) : i.UnitPrice * i.Quantity),
        BillingAddress = new SnipcartAddress { Name = "Hanako Yamada", StreetAndNumber = "1-2-3 Shibuya", City = "Shibuya-ku", PostalCode = "150-0002", Country = "jp", Region = "Tokyo", Phone = "+819012345678" },
        Items = items,
    };

    private static SnipcartItem Item(string name, decimal price, decimal quantity = 1, string type = "Physical") =>
        new() { Name = name, UnitPrice = price, Quantity = quantity, Type = type, Amount = price * quantity };

    private static readonly SnipcartInvoice Cart = Invoice(
        Item("Matcha set", 1500m, 3), Item("Tea cup", 800m), Item("Consumption tax", 530m, 1, "Tax"),
        Item("Coupon", -300m, 1, "Discount"), Item("Shipping", 700m, 1, "Shipping"));

    private ProviderPaymentRequest Request(string paymentRef, SnipcartInvoice? invoice = null)
    {
        invoice ??= Cart;
        return new()
        {
            PaymentRef = paymentRef,
            Mode = PaymentMode.Test,
            Amount = new Money(invoice.Amount, invoice.Currency),
            Description = "Order",
            Invoice = invoice,
            Language = invoice.Language,
            ReturnUrl = new Uri(_merchant.BaseUrl + "/return/" + paymentRef),
            CancelUrl = new Uri(_merchant.BaseUrl + "/cancel/" + paymentRef),
            NotificationUrl = new Uri(_merchant.BaseUrl + "/notify?mode=test"),
        };
    }

    private static ProviderPaymentLookup Lookup(string orderId) => new() { PaymentRef = "r", Mode = PaymentMode.Test, ProviderPaymentId = orderId };

    [Fact]
    public async Task A_checkout_session_carries_the_order_as_smartpay_wants_it_and_a_retry_creates_nothing_new()
    {
        Assert.Equal(6230m, Cart.Amount);
        var created = await Provider.CreatePaymentAsync(Request("pay_1"));
        var again = await Provider.CreatePaymentAsync(Request("pay_1"));

        var order = Assert.Single(State.Orders);
        Assert.Equal(order.Id, created.ProviderPaymentId);
        Assert.Equal(created.ProviderPaymentId, again.ProviderPaymentId);
        Assert.StartsWith("order_test_", order.Id);
        Assert.Equal(order.Id, created.ProviderData![SmartpayProvider.OrderIdKey]);
        Assert.Equal(order.SessionId, created.ProviderData[SmartpayProvider.SessionIdKey]);
        Assert.Equal($"{_sandbox.BaseUrl}/smartpay/checkout/{order.SessionId}", created.RedirectUrl!.ToString());
        Assert.NotNull(created.ExpiresAt);

        var calls = State.Calls.Where(c => c.Path == "/smartpay/v1/checkout-sessions").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c =>
        {
            Assert.Equal("Basic " + TestKey, c.Authorization);   // the raw key, as the SDKs send it
            Assert.Equal("pay_1", c.IdempotencyKey);
        });
        var body = JsonDocument.Parse(calls[0].Body!).RootElement;
        Assert.Equal(6230, body.GetProperty("amount").GetInt64());
        Assert.Equal("JPY", body.GetProperty("currency").GetString());
        Assert.Equal("automatic", body.GetProperty("captureMethod").GetString());
        Assert.Equal("pay_1", body.GetProperty("reference").GetString());
        Assert.Equal("ja", body.GetProperty("locale").GetString());
        Assert.Equal(_merchant.BaseUrl + "/return/pay_1", body.GetProperty("successUrl").GetString());
        Assert.Equal(_merchant.BaseUrl + "/cancel/pay_1", body.GetProperty("cancelUrl").GetString());
        var items = body.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("name").GetString(), i.GetProperty("amount").GetInt64(), i.GetProperty("quantity").GetInt32(), i.GetProperty("kind").GetString()))
            .ToList();
        Assert.Equal([("Matcha set", 1500L, 3, "product"), ("Tea cup", 800L, 1, "product"), ("Consumption tax", 530L, 1, "tax"), ("Coupon", 300L, 1, "discount")], items);
        var shipping = body.GetProperty("shippingInfo");
        Assert.Equal(700, shipping.GetProperty("feeAmount").GetInt64());
        Assert.Equal("1-2-3 Shibuya", shipping.GetProperty("address").GetProperty("line1").GetString());
        Assert.Equal("Shibuya-ku", shipping.GetProperty("address").GetProperty("locality").GetString());
        Assert.Equal("Tokyo", shipping.GetProperty("address").GetProperty("administrativeArea").GetString());
        Assert.Equal("150-0002", shipping.GetProperty("address").GetProperty("postalCode").GetString());
        Assert.Equal("JP", shipping.GetProperty("address").GetProperty("country").GetString());
        var customer = body.GetProperty("customerInfo");
        Assert.Equal("hanako@example.jp", customer.GetProperty("emailAddress").GetString());
        Assert.Equal("Hanako", customer.GetProperty("firstName").GetString());
        Assert.Equal("Yamada", customer.GetProperty("lastName").GetString());
        Assert.Equal("+819012345678", customer.GetProperty("phoneNumber").GetString());
    }

    /// <summary>A tax-inclusive JPY cart shaped as Snipcart documents its invoice: prices include the 10% consumption
    /// tax (rateOfTaxIncludedInPrice), the tax line reports the tax inside them, and an item carries its own discount.</summary>
    [Fact]
    public async Task A_tax_inclusive_cart_with_an_item_discount_is_sent_itemised_without_adding_the_tax_again()
    {
        var invoice = Invoice(
            new SnipcartItem { Name = "Matcha set", UnitPrice = 1650m, Quantity = 2, Type = "Physical", RateOfTaxIncludedInPrice = 10m, Amount = 3300m, DiscountAmount = 330m },
            new SnipcartItem { Name = "消費税", UnitPrice = 270m, Quantity = 1, Type = "Tax", RateOfTaxIncludedInPrice = 10m, Amount = 270m },
            new SnipcartItem { Name = "Shipping", UnitPrice = 500m, Quantity = 1, Type = "Shipping", Amount = 500m }) with { Amount = 3470m };

        await Provider.CreatePaymentAsync(Request("pay_taxincl", invoice));

        var body = JsonDocument.Parse(State.Calls.Single(c => c.Path == "/smartpay/v1/checkout-sessions").Body!).RootElement;
        Assert.Equal(3470, body.GetProperty("amount").GetInt64());
        var items = body.GetProperty("items").EnumerateArray()
            .Select(i => (i.GetProperty("name").GetString(), i.GetProperty("amount").GetInt64(), i.GetProperty("quantity").GetInt32(), i.GetProperty("kind").GetString()))
            .ToList();
        Assert.Equal([("Matcha set", 1650L, 2, "product"), ("Discount: Matcha set", 330L, 1, "discount")], items);
        Assert.Equal(500, body.GetProperty("shippingInfo").GetProperty("feeAmount").GetInt64());
    }

    [Theory]
    [InlineData(null, null, "山田　花子", null, "花子", "山田")]
    [InlineData(null, null, "山田 花子", null, "花子", "山田")]
    [InlineData(null, null, "Hanako Yamada", null, "Hanako", "Yamada")]
    [InlineData(null, null, "Mary Ann Smith", null, "Mary Ann", "Smith")]
    [InlineData(null, null, "山田花子", null, null, "山田花子")]
    [InlineData("花子", "山田", "山田　花子", null, "花子", "山田")]
    [InlineData(null, null, "Hanako", "Yamada", "Hanako", "Yamada")]
    public void Names_come_from_snipcarts_fields_or_are_split_family_name_first_in_japanese_script(string? firstName, string? lastName, string name, string? surname, string? first, string? last)
    {
        var address = new SnipcartAddress { FirstName = firstName, LastName = lastName, Name = name, Surname = surname };

        Assert.Equal((first, last), SmartpayNames.Of(address));
    }

    [Fact]
    public async Task A_quantity_over_65535_and_http_return_urls_in_live_mode_are_refused_before_any_call()
    {
        var many = Invoice(Item("Sticker", 1m, 65_536));
        var quantity = await Assert.ThrowsAsync<ProviderOrderRefusedException>(() => Provider.CreatePaymentAsync(Request("pay_many", many)));
        Assert.Contains("65,535", quantity.Message);

        var live = Request("pay_live", Cart) with { Mode = PaymentMode.Live, ReturnUrl = new Uri("http://shop.example/return"), CancelUrl = new Uri("http://shop.example/cancel") };
        var http = await Assert.ThrowsAsync<ProviderOrderRefusedException>(() => Provider.CreatePaymentAsync(live));
        Assert.Contains("https", http.Message);
        Assert.Empty(State.Calls);
    }

    [Theory]
    [InlineData(1500.5, "Physical")]
    [InlineData(530.25, "Tax")]
    [InlineData(700.1, "Shipping")]
    public async Task A_fraction_of_a_yen_anywhere_is_refused_before_any_call(double price, string type)
    {
        var invoice = Invoice(Item("Matcha set", 1000m), Item("Fraction", (decimal)price, 2, type));
        invoice = invoice with { Amount = decimal.Round(invoice.Amount) }; // a total that itself has no fraction

        var ex = await Assert.ThrowsAsync<ProviderOrderRefusedException>(() => Provider.CreatePaymentAsync(Request("pay_2", invoice)));

        Assert.Contains("fraction of a yen", ex.Message);
        Assert.Empty(State.Calls);
    }

    [Fact]
    public async Task Lines_that_cannot_add_up_go_as_one_line_of_the_total_and_a_missing_address_is_refused_before_any_call()
    {
        var short1 = Cart with { Amount = Cart.Amount + 1 };
        await Provider.CreatePaymentAsync(Request("pay_3", short1));
        var sent = JsonDocument.Parse(State.Calls.Single().Body!).RootElement;
        Assert.Equal(6231, sent.GetProperty("amount").GetInt64());
        var line = Assert.Single(sent.GetProperty("items").EnumerateArray());
        Assert.Equal(6231, line.GetProperty("amount").GetInt64());
        Assert.Equal("Order pay_3", line.GetProperty("name").GetString());
        Assert.Equal(0, sent.GetProperty("shippingInfo").GetProperty("feeAmount").GetInt64());
        var calls = State.Calls.Count;

        var noAddress = Cart with { BillingAddress = new SnipcartAddress { Name = "Hanako" }, ShippingAddress = null };
        var address = await Assert.ThrowsAsync<ProviderOrderRefusedException>(() => Provider.CreatePaymentAsync(Request("pay_4", noAddress)));
        Assert.Contains("shipping address", address.Message);
        Assert.Equal(calls, State.Calls.Count);
    }

    [Fact]
    public async Task Lookups_map_smartpay_statuses_and_echo_amount_reference_and_payment()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_5"));
        var orderId = created.ProviderPaymentId;

        var fresh = await Provider.GetPaymentAsync(Lookup(orderId));
        Assert.Equal(PaymentStatus.AwaitingShopper, fresh.Status);
        Assert.Equal("requires_authorization", fresh.ProviderStatus);
        Assert.Equal("pay_5", fresh.Reference);
        Assert.True(new Money(6230m, "JPY").SameAs(fresh.Amount!.Value));

        State.Approve(orderId);
        var paid = await Provider.GetPaymentAsync(Lookup(orderId));
        Assert.Equal(PaymentStatus.Paid, paid.Status);
        var paymentId = Assert.Single(State.GetOrder(orderId)!.PaymentIds);
        Assert.Equal(paymentId, paid.ProviderData![SmartpayProvider.PaymentIdKey]);
        Assert.Equal(orderId, paid.TransactionId);

        foreach (var (status, expected, code) in new[]
        {
            ("rejected", PaymentStatus.Failed, "smartpay_rejected"),
            ("canceled", PaymentStatus.Failed, "smartpay_canceled"),
            ("failed", PaymentStatus.Failed, "smartpay_failed"),
            ("pending", PaymentStatus.Pending, null),
            ("requires_capture", PaymentStatus.Pending, null),   // automatic capture: Smartpay has not captured yet
            ("on_hold_somehow", PaymentStatus.Pending, null),
        })
        {
            State.SetOrderStatus(orderId, status, notify: false);
            var seen = await Provider.GetPaymentAsync(Lookup(orderId));
            Assert.Equal(expected, seen.Status);
            Assert.Equal(code, seen.FailureCode);
        }

        State.SetOrderStatus(orderId, "requires_capture", notify: false);
        await using var manual = Build(captureMethod: "manual");
        // An attempt recorded before the capture method was kept: today's setting decides.
        Assert.Equal(PaymentStatus.Authorized, (await manual.GetRequiredService<IPaymentProvider>().GetPaymentAsync(Lookup(orderId))).Status);
    }

    [Fact]
    public async Task Under_manual_capture_the_session_asks_for_it_and_an_authorised_order_is_authorized_not_paid()
    {
        await using var manual = Build(captureMethod: "manual");
        var provider = manual.GetRequiredService<IPaymentProvider>();
        var created = await provider.CreatePaymentAsync(Request("pay_6"));

        State.Approve(created.ProviderPaymentId);

        Assert.Equal("manual", State.GetOrder(created.ProviderPaymentId)!.CaptureMethod);
        var seen = await provider.GetPaymentAsync(Lookup(created.ProviderPaymentId));
        Assert.Equal("requires_capture", seen.ProviderStatus);
        Assert.Equal(PaymentStatus.Authorized, seen.Status);
        Assert.Equal("manual", created.ProviderData![SmartpayProvider.CaptureMethodKey]);
    }

    [Fact]
    public async Task Cancel_voids_an_unapproved_order_once_and_smartpay_refuses_a_paid_one()
    {
        var left = await Provider.CreatePaymentAsync(Request("pay_14"));
        var paid = await Provider.CreatePaymentAsync(Request("pay_15"));
        State.Approve(paid.ProviderPaymentId);
        ProviderCancelRequest Cancel(string paymentRef, ProviderPaymentCreated created) => new()
        {
            PaymentRef = paymentRef, Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId, Amount = new Money(6230m, "JPY"),
        };

        Assert.True(Provider.Capabilities.Cancel);
        var canceled = await Provider.CancelPaymentAsync(Cancel("pay_14", left));
        var again = await Provider.CancelPaymentAsync(Cancel("pay_14", left));   // a retry with the same key

        Assert.True(canceled.Canceled);
        Assert.True(again.Canceled);
        Assert.Equal(PaymentStatus.Failed, (await Provider.GetPaymentAsync(Lookup(left.ProviderPaymentId))).Status);
        Assert.All(State.Calls.Where(c => c.Method == "PUT"), c => Assert.Equal("cancel_pay_14", c.IdempotencyKey));
        var refused = await Assert.ThrowsAsync<SmartpayException>(() => Provider.CancelPaymentAsync(Cancel("pay_15", paid)));
        Assert.True(refused.IsRejection);
        Assert.Equal("order.cannot-cancel", refused.ErrorCode);
        Assert.Equal(PaymentStatus.Paid, (await Provider.GetPaymentAsync(Lookup(paid.ProviderPaymentId))).Status);
    }

    [Fact]
    public async Task A_read_is_retried_once_after_a_5xx_and_not_twice()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_7"));
        var path = "/smartpay/v1/orders/" + created.ProviderPaymentId;

        State.FailNext(SmartpaySimCallKind.GetOrder, 503);
        Assert.Equal(PaymentStatus.AwaitingShopper, (await Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId))).Status);
        Assert.Equal(2, State.Calls.Count(c => c.Path == path));

        State.FailNext(SmartpaySimCallKind.GetOrder, 500, times: 5);
        var ex = await Assert.ThrowsAsync<SmartpayException>(() => Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId)));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.Equal("internal-error", ex.ErrorCode);
        Assert.Equal(4, State.Calls.Count(c => c.Path == path));
        Assert.Contains("try again", ex.ShopperMessage);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_with_smartpays_error_shape_worded_for_the_shopper_without_the_key()
    {
        await using var wrong = Build(key: "sk_test_notTheRightKey");

        var ex = await Assert.ThrowsAsync<SmartpayException>(() => wrong.GetRequiredService<IPaymentProvider>().CreatePaymentAsync(Request("pay_8")));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.True(ex.IsRejection);
        Assert.Equal("unauthorized", ex.Error!.ErrorCode);
        Assert.Equal(401, ex.Error.StatusCode);
        Assert.NotNull(ex.Error.Message);
        Assert.DoesNotContain("notTheRightKey", ex.Message);
        Assert.Equal("Smartpay is not available for this shop right now. Please choose another payment method.", ex.ShopperMessage);
        Assert.Empty(State.Orders);
    }

    [Theory]
    [InlineData(true, RefundStatus.Succeeded)]
    [InlineData(false, RefundStatus.Failed)]
    public async Task A_refund_left_pending_is_looked_up_until_it_settles(bool succeeds, RefundStatus settled)
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_8"));
        State.Approve(created.ProviderPaymentId);
        State.RefundsSettleLater = true;
        var refundRef = Guid.NewGuid().ToString();
        var pending = await Provider.RefundAsync(new ProviderRefundRequest
        {
            PaymentRef = "pay_8", RefundRef = refundRef, Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(1000m, "JPY"), PaymentAmount = new Money(6230m, "JPY"),
        });
        var lookup = new ProviderRefundLookup
        {
            PaymentRef = "pay_8", RefundRef = refundRef, Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
            ProviderRefundId = pending.ProviderRefundId, Amount = new Money(1000m, "JPY"),
        };

        Assert.Equal(RefundStatus.Pending, pending.Status);
        Assert.True(Provider.Capabilities.RefundLookup);
        Assert.Equal(RefundStatus.Pending, (await Provider.GetRefundAsync(lookup)).Status);
        State.SettleRefund(pending.ProviderRefundId, succeeds);
        Assert.Equal(settled, (await Provider.GetRefundAsync(lookup)).Status);
        Assert.Contains(State.Calls, c => c.Path == "/smartpay/v1/refunds/" + pending.ProviderRefundId);
    }

    [Fact]
    public async Task Refunds_use_the_orders_payment_add_up_are_idempotent_and_stop_at_what_was_paid()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_9"));
        State.Approve(created.ProviderPaymentId);
        var paymentId = Assert.Single(State.GetOrder(created.ProviderPaymentId)!.PaymentIds);
        ProviderRefundRequest Refund(string refundRef, decimal amount, bool withData) => new()
        {
            PaymentRef = "pay_9", RefundRef = refundRef, Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(amount, "JPY"), PaymentAmount = new Money(6230m, "JPY"),
            ProviderData = withData ? new Dictionary<string, string> { [SmartpayProvider.PaymentIdKey] = paymentId } : ProviderData.Empty,
        };
        var refundId = Guid.NewGuid().ToString();

        var first = await Provider.RefundAsync(Refund(refundId, 1000m, withData: true));
        var replay = await Provider.RefundAsync(Refund(refundId, 1000m, withData: false)); // finds the payment through the order
        var second = await Provider.RefundAsync(Refund(Guid.NewGuid().ToString(), 5230m, withData: false));

        Assert.Equal(RefundStatus.Succeeded, first.Status);
        Assert.Equal(first.ProviderRefundId, replay.ProviderRefundId);
        Assert.Equal(2, State.Refunds.Count);
        var stored = State.GetRefund(first.ProviderRefundId)!;
        Assert.Equal((paymentId, 1000L, "requested_by_customer", refundId), (stored.PaymentId, stored.Amount, stored.Reason, stored.Reference));
        Assert.Equal(refundId, State.Calls.First(c => c.Path == "/smartpay/v1/refunds").IdempotencyKey);
        Assert.Equal("refunded", State.GetPayment(paymentId)!.Status);

        var tooMuch = await Assert.ThrowsAsync<SmartpayException>(() => Provider.RefundAsync(Refund(Guid.NewGuid().ToString(), 1m, withData: true)));
        Assert.Equal("amount.insufficient", tooMuch.ErrorCode);
        Assert.True(tooMuch.IsRejection);
    }

    [Fact]
    public async Task Approving_on_the_hosted_page_returns_the_shopper_and_sends_signed_webhooks_the_adapter_accepts()
    {
        const string paymentRef = "pay_abcdefghijklmnopqrstuvwxyz";
        var created = await Provider.CreatePaymentAsync(Request(paymentRef));
        using var http = _sandbox.Http();

        var page = await http.GetStringAsync(created.RedirectUrl);
        Assert.Contains("¥6,230", page);
        Assert.Contains("テスト中", page);

        var approve = await http.PostAsync(created.RedirectUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "approve" }));
        Assert.Equal(HttpStatusCode.SeeOther, approve.StatusCode);
        Assert.Equal(_merchant.BaseUrl + "/return/" + paymentRef, approve.Headers.Location!.ToString());

        await State.WaitUntilAsync(s => s.Deliveries.Count(d => d.StatusCode == 200) >= 2);
        var webhooks = _merchant.Requests.Where(r => r.PathAndQuery == "/webhooks").ToList();
        Assert.Equal(new List<string?> { "order.authorized", "payment.created" }, webhooks.Select(w => JsonDocument.Parse(w.Body).RootElement.GetProperty("eventData").GetProperty("type").GetString()).ToList());
        var authorized = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = webhooks[0].Body, Headers = webhooks[0].Headers });
        Assert.Equal(created.ProviderPaymentId, authorized.ProviderPaymentId);
        Assert.Equal(paymentRef, authorized.PaymentRef);
        var payment = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = webhooks[1].Body, Headers = webhooks[1].Headers, Mode = PaymentMode.Test });
        Assert.Equal(created.ProviderPaymentId, payment.ProviderPaymentId);
        Assert.Null(payment.PaymentRef);
        Assert.Equal(Assert.Single(State.GetOrder(created.ProviderPaymentId)!.PaymentIds), payment.ProviderData![SmartpayProvider.PaymentIdKey]);
        Assert.Equal(webhooks[0].Headers["Smartpay-Subscription-Id"], Assert.Single(State.WebhookEndpoints).Id);
    }

    [Fact]
    public async Task Rejection_and_cancel_send_the_shopper_to_the_cancel_url()
    {
        var rejected = await Provider.CreatePaymentAsync(Request("pay_10"));
        var canceled = await Provider.CreatePaymentAsync(Request("pay_11"));
        using var http = _sandbox.Http();

        var reject = await http.PostAsync(rejected.RedirectUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "reject" }));
        var cancel = await http.PostAsync(canceled.RedirectUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "cancel" }));

        Assert.Equal(_merchant.BaseUrl + "/cancel/pay_10", reject.Headers.Location!.ToString());
        Assert.Equal(_merchant.BaseUrl + "/cancel/pay_11", cancel.Headers.Location!.ToString());
        Assert.Equal(PaymentStatus.Failed, (await Provider.GetPaymentAsync(Lookup(rejected.ProviderPaymentId))).Status);
        // The shopper's cancel changes nothing at Smartpay by itself (the gateway voids the order: see the cancel test).
        Assert.Equal(PaymentStatus.AwaitingShopper, (await Provider.GetPaymentAsync(Lookup(canceled.ProviderPaymentId))).Status);
        await State.WaitUntilAsync(s => s.Deliveries.Any(d => d.Type == "order.rejected" && d.StatusCode == 200));
    }

    [Fact]
    public async Task A_webhook_is_sent_again_until_answered_200()
    {
        _webhookAnswers = 500;
        var created = await Provider.CreatePaymentAsync(Request("pay_12"));
        State.Reject(created.ProviderPaymentId);
        await State.WaitUntilAsync(s => s.Deliveries.Count(d => d.StatusCode == 500) >= 2);

        _webhookAnswers = 200;
        await State.WaitUntilAsync(s => s.Deliveries.Any(d => d.StatusCode == 200));

        var deliveries = State.Deliveries;
        Assert.All(deliveries, d => Assert.Equal("order.rejected", d.Type));
        Assert.Single(deliveries.Select(d => d.EventId).Distinct());
        await Task.Delay(1500);
        Assert.Single(State.Deliveries, d => d.StatusCode == 200); // none after the 200
    }

    [Fact]
    public async Task A_refund_created_webhook_finds_its_order_through_the_payment_and_flags_only_a_refund_made_elsewhere()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay_13"));
        State.Approve(created.ProviderPaymentId);
        var paymentId = Assert.Single(State.GetOrder(created.ProviderPaymentId)!.PaymentIds);
        // Ours: a refund Snipcart asked for (a GUID refund id), and a give-back (gb_<paymentRef>).
        foreach (var refundRef in new[] { Guid.NewGuid().ToString(), SnipcartGateway.Domain.Lifecycle.GiveBacks.RefundIdFor(PaymentReferences.NewPaymentRef()) })
        {
            await Provider.RefundAsync(new ProviderRefundRequest
            {
                PaymentRef = "pay_13", RefundRef = refundRef, Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
                Amount = new Money(100m, "JPY"), PaymentAmount = new Money(6230m, "JPY"),
            });
        }
        using (var http = _sandbox.Http())
        {
            // A refund made in Smartpay's dashboard: no reference of ours.
            var request = new HttpRequestMessage(HttpMethod.Post, "/smartpay/v1/refunds")
            {
                Content = JsonContent.Create(new { payment = paymentId, amount = 50, currency = "JPY", reason = "requested_by_customer" }),
            };
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + TestKey);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }
        await State.WaitUntilAsync(s => s.Deliveries.Count(d => d.Type == "refund.created" && d.StatusCode == 200) == 3);

        var notes = new List<ProviderNotification>();
        foreach (var webhook in _merchant.Requests.Where(r => r.Body.Contains("refund.created")))
        {
            notes.Add(await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = webhook.Body, Headers = webhook.Headers }));
        }
        Assert.All(notes, n => Assert.Equal(created.ProviderPaymentId, n.ProviderPaymentId));
        Assert.All(notes, n => Assert.Equal(paymentId, n.ProviderData![SmartpayProvider.PaymentIdKey]));
        Assert.Equal(new List<string?> { null, null, "smartpay_refund_outside_gateway" }, notes.Select(n => n.Attention).ToList());
    }

    [Fact]
    public async Task Events_the_gateway_does_not_need_are_acknowledged_and_ignored()
    {
        var body = """{"id":"evt_test_1","object":"event","test":true,"eventData":{"type":"payout.generated","version":"2022-02-18","data":{"id":"payout_test_1"}}}""";
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var notification = await Provider.ParseNotificationAsync(new ProviderNotificationRequest
        {
            Body = body,
            Headers = new Dictionary<string, string>
            {
                ["Smartpay-Signature"] = SmartpaySimSignature.Sign(SigningSecret, timestamp, body),
                ["Smartpay-Signature-Timestamp"] = timestamp.ToString(),
            },
        });
        Assert.False(notification.Relevant);
    }

    [Fact]
    public async Task Webhook_endpoints_are_created_listed_and_deleted_and_the_secret_is_base62()
    {
        using var http = _sandbox.Http();
        HttpRequestMessage Authed(HttpMethod method, string path, object? body = null)
        {
            var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("Authorization", "Basic " + TestKey);
            return request;
        }

        var created = await http.SendAsync(Authed(HttpMethod.Post, "/smartpay/v1/webhook-endpoints", new { url = "https://shop.example/api/providers/smartpay/notifications?mode=test", eventSubscriptions = new[] { "order.authorized" } }));
        var endpoint = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var secret = endpoint.GetProperty("signingSecret").GetString()!;
        Assert.True(Base62.IsValid(secret));
        Assert.Equal(30, Base62.Decode(secret).Length);
        var id = endpoint.GetProperty("id").GetString()!;

        var list = JsonDocument.Parse(await (await http.SendAsync(Authed(HttpMethod.Get, "/smartpay/v1/webhook-endpoints"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(list.GetProperty("data").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(Authed(HttpMethod.Delete, "/smartpay/v1/webhook-endpoints/" + id))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(Authed(HttpMethod.Get, "/smartpay/v1/webhook-endpoints/" + id))).StatusCode);

        var unauthorized = await http.PostAsJsonAsync("/smartpay/v1/webhook-endpoints", new { url = "https://x.example/" });
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var error = JsonDocument.Parse(await unauthorized.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, error.GetProperty("statusCode").GetInt32());
        Assert.Equal("unauthorized", error.GetProperty("errorCode").GetString());
        Assert.Equal(JsonValueKind.Array, error.GetProperty("details").ValueKind);
    }
}
