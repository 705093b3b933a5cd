using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Sandbox.Smartpay;
using SnipcartGateway.Tests.Infrastructure;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// Smartpay through everything real: the gateway under the Functions host, the sandbox's Snipcart and Smartpay
/// simulators (whose webhook endpoint is the gateway's notification URL, signed with the configured secret), Azurite.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class SmartpayFlowTests(GatewayStackFixture stack)
{
    private readonly GatewayHarness _h = stack.Harness;

    private SmartpayState Smartpay => _h.Sandbox.Smartpay;

    /// <summary>A JPY cart: 2 × ¥1,500 + ¥150 tax (whole yen).</summary>
    private (SandboxSession Session, string Token) JpySession() => _h.NewSession(unitPrice: 1500m, currency: "jpy", language: "ja", billingCountry: "JP");

    private async Task<(SandboxSession Session, string PaymentRef, SmartpaySimOrder Order, Uri RedirectUrl)> StartAsync()
    {
        var (session, token) = JpySession();
        var (paymentRef, redirect) = await _h.StartPaymentAsync(token, provider: "smartpay");
        var order = Smartpay.FindOrderByReference(paymentRef) ?? throw new InvalidOperationException("No Smartpay order for " + paymentRef);
        return (session, paymentRef, order, redirect);
    }

    private Task WebhooksAnsweredAsync(string orderId, int count) =>
        Smartpay.WaitUntilAsync(s => s.Deliveries.Count(d => d.StatusCode == 200 && d.Body.Contains(orderId, StringComparison.Ordinal)) >= count);

    private async Task<HttpResponseMessage> PostWebhookAsync(string body, long? timestamp = null, string? secret = SandboxHost.SmartpaySigningSecret, string? signature = null)
    {
        var ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/providers/smartpay/notifications?mode=test")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (secret is not null || signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Smartpay-Signature", signature ?? SmartpaySimSignature.Sign(secret!, ts, body));
            request.Headers.TryAddWithoutValidation("Smartpay-Signature-Timestamp", ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        using var client = _h.Gateway.CreateHttpClient();
        return await client.SendAsync(request);
    }

    private static string OrderEvent(string type, SmartpaySimOrder order, string status) => JsonSerializer.Serialize(new
    {
        id = "evt_test_forged" + Guid.NewGuid().ToString("N")[..8],
        @object = "event",
        createdAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        test = true,
        eventData = new { type, version = "2022-02-18", data = new { id = order.Id, @object = "order", status, amount = order.Amount, currency = "JPY", reference = order.Reference } },
    });

    [Fact]
    public async Task A_webhook_racing_the_return_confirms_once_and_the_page_got_the_sessions_reference_and_url()
    {
        var (session, paymentRef, order, redirect) = await StartAsync();
        Assert.Equal(paymentRef, order.Reference);                                    // paymentRef = the session's reference
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"smartpay/checkout/{order.SessionId}"), redirect); // redirectUrl = its url
        Assert.Equal(3150, order.Amount);

        // The shopper approves: Smartpay's webhooks go out while the shopper's browser comes back.
        Smartpay.Approve(order.Id);
        var back = await _h.ReturnAsync(paymentRef);
        await WebhooksAnsweredAsync(order.Id, 2);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(new Uri(_h.Sandbox.BaseAddress, $"store/orders/{session.Id}"), back.Headers.Location);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        var call = Assert.Single(_h.State.PaymentCallsFor(session.Id), c => c.Accepted);
        Assert.Equal("processed", call.State);
        Assert.Equal(order.Id, call.TransactionId);
    }

    [Fact]
    public async Task Forged_unsigned_stale_and_replayed_webhooks_change_nothing()
    {
        var (session, paymentRef, order, _) = await StartAsync();
        var forged = OrderEvent("order.authorized", order, "succeeded");
        // Pretend Smartpay approved; only a webhook could make the gateway look now.
        Smartpay.SetOrderStatus(order.Id, SmartpaySimStatuses.Succeeded, notify: false);

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(forged, secret: null)).StatusCode);                               // unsigned
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(forged, secret: "someOtherSecret0Base62")).StatusCode);         // mis-signed
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(forged, signature: new string('0', 64))).StatusCode);           // forged signature
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostWebhookAsync(forged, timestamp: DateTimeOffset.UtcNow.AddMinutes(-6).ToUnixTimeMilliseconds())).StatusCode); // stale
        Assert.Empty(_h.State.PaymentCallsFor(session.Id));

        // A genuine one confirms; the same delivery again (a replay) changes nothing.
        Smartpay.SetOrderStatus(order.Id, SmartpaySimStatuses.Succeeded, notify: true);
        await WebhooksAnsweredAsync(order.Id, 1);
        await _h.State.WaitUntilAsync(s => s.ConfirmationsFor(session.Id) == 1);
        var delivered = Smartpay.Deliveries.First(d => d.StatusCode == 200 && d.Body.Contains(order.Id, StringComparison.Ordinal));
        var replay = await PostWebhookAsync(delivered.Body, delivered.Timestamp, signature: delivered.Signature);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, _h.State.ConfirmationsFor(session.Id));
        Assert.Single(_h.State.PaymentCallsFor(session.Id));
        Assert.NotNull(paymentRef);
    }

    [Fact]
    public async Task An_event_about_an_order_we_never_made_is_acknowledged_and_changes_nothing()
    {
        var stranger = new SmartpaySimOrder
        {
            Id = "order_test_neverOurs", Test = true, Status = "succeeded", Amount = 100, Currency = "JPY", Reference = "someone_elses_ref",
            CaptureMethod = "automatic", LineItems = [], SessionId = "checkout_test_x", CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
        };

        var response = await PostWebhookAsync(OrderEvent("order.authorized", stranger, "succeeded"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // Smartpay retries anything else
    }

    [Fact]
    public async Task An_order_whose_amount_differs_from_the_session_is_never_confirmed_and_its_money_is_given_back_once()
    {
        // A promotion code at Smartpay lowered the order: what was taken is not what Snipcart's session asks.
        var (session, paymentRef, order, _) = await StartAsync();
        var taken = order.Amount - 100;
        Smartpay.SetOrderAmount(order.Id, taken);

        Smartpay.Approve(order.Id);
        await WebhooksAnsweredAsync(order.Id, 2);
        await _h.ReturnAsync(paymentRef);
        await _h.ReturnAsync(paymentRef);

        Assert.Equal(0, _h.State.ConfirmationsFor(session.Id));
        Assert.Equal(["failed"], _h.State.PaymentCallsFor(session.Id).Where(c => c.Accepted).Select(c => c.State));
        // Given back through Smartpay's POST /refunds, all of what was taken, once.
        var paid = Assert.Single(Smartpay.GetOrder(order.Id)!.PaymentIds);
        var refund = Assert.Single(Smartpay.Refunds, r => r.PaymentId == paid);
        Assert.Equal(taken, refund.Amount);
        // The shopper is told the payment was not kept and is being given back.
        using var client = _h.Gateway.CreateHttpClient();
        var status = JsonDocument.Parse(await client.GetStringAsync($"api/checkout/payments/{paymentRef}")).RootElement;
        Assert.NotEqual("paid", status.GetProperty("status").GetString());
        Assert.Equal("payment_mismatch", status.GetProperty("givenBack").GetProperty("reason").GetString());
        Assert.True(status.GetProperty("givenBack").GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task A_refund_snipcart_sends_twice_refunds_once_partial_refunds_add_up_and_more_than_paid_is_refused()
    {
        var (session, paymentRef, order, _) = await StartAsync();
        Smartpay.Approve(order.Id);
        await _h.ReturnAsync(paymentRef);
        var refundsUrl = _h.State.GetSession(session.Id)!.RefundsUrl!;
        using var client = _h.Gateway.CreateHttpClient();
        async Task<HttpResponseMessage> Refund(decimal amount) => await client.PostAsJsonAsync(refundsUrl, new { paymentId = order.Id, amount });

        var first = await Refund(1000m);
        var again = await Refund(1000m);
        var second = await Refund(2150m);
        var tooMuch = await Refund(1m);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        var paymentId = Assert.Single(Smartpay.GetOrder(order.Id)!.PaymentIds);
        var refunds = Smartpay.Refunds.Where(r => r.PaymentId == paymentId).ToList();
        Assert.Equal([1000L, 2150L], refunds.Select(r => r.Amount).ToArray());
        Assert.All(refunds, r => Assert.Equal("requested_by_customer", r.Reason));
        var refundId = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("refundId").GetString();
        Assert.Equal(refundId, refunds[0].Reference);
        Assert.Equal(refundId, Smartpay.Calls.First(c => c.Path == "/smartpay/v1/refunds" && c.Body!.Contains(paymentId, StringComparison.Ordinal)).IdempotencyKey);
    }

    [Fact]
    public async Task A_fraction_of_a_yen_is_refused_with_a_clear_message_before_smartpay_is_called()
    {
        // A fractional total: the gateway refuses it for any provider.
        var (_, fractionalTotal) = _h.NewSession(unitPrice: 200.25m, currency: "jpy", billingCountry: "JP");
        // Whole-yen total, fractional lines: only Smartpay's exact conversion sees it.
        var session = _h.State.CreateSession(SandboxMode.Test, new SandboxInvoice
        {
            Currency = "jpy",
            Language = "en",
            Email = "john.doe@example.com",
            Amount = 201m,
            BillingAddress = new SandboxAddress { Name = "John Doe", StreetAndNumber = "1-2-3 Shibuya", PostalCode = "150-0002", City = "Tokyo", Country = "JP" },
            Items = [new SandboxItem("Half-yen sweets", 100.5m, 2, "Physical", 0, 201m)],
        });
        var fractionalLines = _h.State.MintToken(session.Id);
        var orders = Smartpay.Orders.Count;
        using var client = _h.Gateway.CreateHttpClient();

        var total = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = fractionalTotal, provider = "smartpay", mode = "test", sig = _h.Sig("smartpay", "test", fractionalTotal) });
        var lines = await client.PostAsJsonAsync("api/checkout/payments", new { publicToken = fractionalLines, provider = "smartpay", mode = "test", sig = _h.Sig("smartpay", "test", fractionalLines) });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, total.StatusCode);
        var totalProblem = JsonDocument.Parse(await total.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("invalid_invoice", totalProblem.GetProperty("code").GetString());
        Assert.Contains("more decimals than JPY allows", totalProblem.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, lines.StatusCode);
        Assert.Equal("application/problem+json", lines.Content.Headers.ContentType?.MediaType);
        var linesProblem = JsonDocument.Parse(await lines.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("order_not_payable", linesProblem.GetProperty("code").GetString());
        Assert.Contains("Half-yen sweets", linesProblem.GetProperty("detail").GetString());
        Assert.Contains("fraction of a yen", linesProblem.GetProperty("detail").GetString());
        Assert.Equal(orders, Smartpay.Orders.Count);
        Assert.DoesNotContain(Smartpay.Calls, c => c.Body?.Contains("Half-yen", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_purchase_webhook_and_refund_at_debug_level_log_no_smartpay_key_or_signing_secret()
    {
        var gateway = await _h.StartGatewayAsync(settings: new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:Microsoft"] = "Debug",
            ["Logging:LogLevel:System"] = "Debug",
            ["AzureFunctionsJobHost:logging:logLevel:default"] = "Debug",
        });
        try
        {
            var (session, token) = JpySession();
            var (paymentRef, _) = await _h.StartPaymentAsync(token, provider: "smartpay", gateway: gateway);
            var order = Smartpay.FindOrderByReference(paymentRef)!;
            Smartpay.Approve(order.Id);
            using var client = gateway.CreateHttpClient();
            Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync($"api/checkout/return/{paymentRef}")).StatusCode);
            // A signed webhook to this (debug) instance too, and one refused for its signature.
            await WebhooksAnsweredAsync(order.Id, 2);
            var delivered = Smartpay.Deliveries.First(d => d.StatusCode == 200 && d.Body.Contains(order.Id, StringComparison.Ordinal));
            foreach (var signature in new[] { delivered.Signature, new string('a', 64) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/providers/smartpay/notifications?mode=test") { Content = new StringContent(delivered.Body, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("Smartpay-Signature", signature);
                request.Headers.TryAddWithoutValidation("Smartpay-Signature-Timestamp", delivered.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
                await client.SendAsync(request);
            }
            var refundsUrl = _h.State.GetSession(session.Id)!.RefundsUrl!;
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(new Uri(refundsUrl).PathAndQuery.TrimStart('/'), new { paymentId = order.Id, amount = 100m })).StatusCode);

            await Task.Delay(TimeSpan.FromSeconds(2)); // the host flushes its console asynchronously
            var output = gateway.Output;
            Assert.Contains("dbug:", output);
            Assert.Contains(paymentRef, output);
            Assert.Contains("Rejected a smartpay notification", output);
            Assert.DoesNotContain(SandboxHost.SmartpaySecretKey, output);
            Assert.DoesNotContain(SandboxHost.SmartpaySigningSecret, output);
        }
        finally
        {
            await _h.StopGatewayAsync(gateway);
        }
    }
}
