using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Providers.SandboxPay;
using SnipcartGateway.Snipcart;
using SandboxPayStatuses = SnipcartGateway.Providers.SandboxPay.SandboxPayStatuses;
using SandboxSidePay = SnipcartGateway.Sandbox.SandboxPay.SandboxPaySignature;

namespace SnipcartGateway.Tests.Sandbox;

/// <summary>The Sandbox Pay adapter against the running sandbox, and the sandbox's Sandbox Pay API and page.</summary>
public sealed class SandboxPayProviderTests : IAsyncLifetime
{
    private LoopbackServer _merchant = null!;
    private SandboxFactory _sandbox = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _merchant = await LoopbackServer.AnsweringAsync(200);
        _sandbox = SandboxFactory.Start();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:SandboxPay:Enabled"] = "true",
            ["Providers:SandboxPay:Test:BaseUrl"] = _sandbox.BaseUrl + "/sandboxpay",
            ["Providers:SandboxPay:Currencies"] = "USD, jpy",
            ["Providers:SandboxPay:Test:SecretKey"] = SandboxFactory.SandboxPayKey,
            ["Providers:SandboxPay:Test:SigningSecret"] = SandboxFactory.SigningSecret,
        }).Build();
        _services = new ServiceCollection().AddLogging().AddSandboxPayProvider(configuration).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _merchant.DisposeAsync();
    }

    private IPaymentProvider Provider => _services.GetRequiredService<IPaymentProvider>();

    private ProviderPaymentRequest Request(string paymentRef, decimal amount = 12.34m) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        Amount = new Money(amount, "usd"),
        Description = "Order <1>",
        Invoice = new SnipcartInvoice { Currency = "usd", Amount = amount },
        ReturnUrl = new Uri(_merchant.BaseUrl + "/return?ref=" + paymentRef),
        CancelUrl = new Uri(_merchant.BaseUrl + "/cancel"),
        NotificationUrl = new Uri(_merchant.BaseUrl + "/notify"),
    };

    private ProviderPaymentLookup Lookup(string id) => new() { PaymentRef = "r", Mode = PaymentMode.Test, ProviderPaymentId = id };

    [Fact]
    public void Identity_capabilities_and_supports()
    {
        Assert.Equal("sandboxpay", Provider.Id);
        Assert.Equal("Sandbox Pay (test only)", Provider.DisplayName);
        Assert.Equal(new ProviderCapabilities(Refunds: true, PartialRefunds: true, Cancel: true, RefundLookup: true), Provider.Capabilities);
        Assert.True(Provider.Supports(PaymentMode.Test, "usd", "US"));
        Assert.True(Provider.Supports(PaymentMode.Test, "JPY", null));
        Assert.False(Provider.Supports(PaymentMode.Test, "EUR", "FR"));
        Assert.False(Provider.Supports(PaymentMode.Live, "USD", "US")); // no live keys
    }

    [Fact]
    public async Task Create_is_idempotent_on_the_payment_ref_and_get_maps_statuses()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-1"));
        var again = await Provider.CreatePaymentAsync(Request("pay-1"));

        Assert.Equal(created.ProviderPaymentId, again.ProviderPaymentId);
        Assert.Single(_sandbox.State.SandboxPayPayments);
        Assert.StartsWith("sp_", created.ProviderPaymentId);
        Assert.Equal($"{_sandbox.BaseUrl}/sandboxpay/pay/{created.ProviderPaymentId}", created.RedirectUrl?.ToString());

        var payment = await Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId));
        // Created, the shopper has not acted: no money committed, so never "processing".
        Assert.Equal(PaymentStatus.AwaitingShopper, payment.Status);
        Assert.Equal("requires_action", payment.ProviderStatus);
        Assert.Equal("pay-1", payment.Reference);
        Assert.True(new Money(12.34m, "USD").SameAs(payment.Amount!.Value));

        foreach (var (wire, expected) in new[] { ("pending", PaymentStatus.Pending), ("declined", PaymentStatus.Failed), ("canceled", PaymentStatus.Canceled), ("succeeded", PaymentStatus.Paid) })
        {
            _sandbox.State.SetSandboxPayStatus(created.ProviderPaymentId, wire, notify: false);
            Assert.Equal(expected, (await Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId))).Status);
        }
    }

    [Fact]
    public void Unknown_statuses_map_to_pending()
    {
        Assert.Equal(PaymentStatus.Pending, SandboxPayStatuses.Parse("on_hold").ToPaymentStatus());
        Assert.Equal(PaymentStatus.Pending, SandboxPayStatuses.Parse(null).ToPaymentStatus());
        Assert.Equal(PaymentStatus.Paid, SandboxPayStatuses.Parse("succeeded").ToPaymentStatus());
    }

    [Fact]
    public async Task A_refund_left_pending_is_looked_up_and_a_failed_one_gives_its_amount_back()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-3", 50m));
        _sandbox.State.SetSandboxPayStatus(created.ProviderPaymentId, "succeeded", notify: false);
        _sandbox.State.SandboxPayRefundsSettleLater = true;
        var pending = await Provider.RefundAsync(new ProviderRefundRequest
        {
            PaymentRef = "pay-3", RefundRef = "refund-p", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(20m, "USD"), PaymentAmount = new Money(50m, "USD"),
        });
        var lookup = new ProviderRefundLookup
        {
            PaymentRef = "pay-3", RefundRef = "refund-p", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
            ProviderRefundId = pending.ProviderRefundId, Amount = new Money(20m, "USD"),
        };

        Assert.Equal(RefundStatus.Pending, pending.Status);
        Assert.Equal(RefundStatus.Pending, (await Provider.GetRefundAsync(lookup)).Status);
        Assert.Equal(20m, _sandbox.State.GetSandboxPayPayment(created.ProviderPaymentId)!.RefundedAmount);
        _sandbox.State.SettleSandboxPayRefund(pending.ProviderRefundId, succeeded: false);
        Assert.Equal(RefundStatus.Failed, (await Provider.GetRefundAsync(lookup)).Status);
        Assert.Equal(0m, _sandbox.State.GetSandboxPayPayment(created.ProviderPaymentId)!.RefundedAmount);
        var elsewhere = await Assert.ThrowsAsync<SandboxPayException>(() => Provider.GetRefundAsync(lookup with { ProviderPaymentId = "sp_other" }));
        Assert.Contains("another payment", elsewhere.Message);
    }

    [Fact]
    public async Task Refunds_are_idempotent_on_the_refund_ref_and_bounded_by_what_is_left()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-2", 50m));
        var refundRequest = new ProviderRefundRequest
        {
            PaymentRef = "pay-2", RefundRef = "refund-1", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(20m, "USD"), PaymentAmount = new Money(50m, "USD"),
        };

        var notPaid = await Assert.ThrowsAsync<SandboxPayException>(() => Provider.RefundAsync(refundRequest));
        Assert.Equal("payment_not_succeeded", notPaid.ErrorCode);
        Assert.True(notPaid.IsRejection);

        _sandbox.State.SetSandboxPayStatus(created.ProviderPaymentId, "succeeded", notify: false);
        var first = await Provider.RefundAsync(refundRequest);
        var replay = await Provider.RefundAsync(refundRequest);
        Assert.Equal(first.ProviderRefundId, replay.ProviderRefundId);
        Assert.Equal(RefundStatus.Succeeded, first.Status);
        Assert.Equal(20m, _sandbox.State.GetSandboxPayPayment(created.ProviderPaymentId)!.RefundedAmount);

        var tooMuch = await Assert.ThrowsAsync<SandboxPayException>(() =>
            Provider.RefundAsync(refundRequest with { RefundRef = "refund-2", Amount = new Money(30.01m, "USD") }));
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Equal("amount_exceeds_refundable", tooMuch.Error?.Code);
    }

    [Fact]
    public async Task Unknown_payment_is_a_404_rejection()
    {
        var ex = await Assert.ThrowsAsync<SandboxPayException>(() => Provider.GetPaymentAsync(Lookup("sp_nope")));
        Assert.Equal(HttpStatusCode.NotFound, ex.StatusCode);
        Assert.Equal("not_found", ex.ErrorCode);
    }

    [Fact]
    public async Task The_api_refuses_a_bad_key_and_a_bad_body()
    {
        using var http = _sandbox.Http();
        var bad = new HttpRequestMessage(HttpMethod.Post, "/sandboxpay/v1/payments") { Content = JsonContent.Create(new { amount = 1 }) };
        bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(bad)).StatusCode);

        var invalid = new HttpRequestMessage(HttpMethod.Post, "/sandboxpay/v1/payments")
        {
            Content = JsonContent.Create(new { amount = 10.5m, currency = "JPY", reference = "r", returnUrl = "http://x/r", cancelUrl = "http://x/c" }),
        };
        invalid.Headers.Authorization = new AuthenticationHeaderValue("Bearer", SandboxFactory.SandboxPayKey);
        var response = await http.SendAsync(invalid);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Paying_on_the_hosted_page_redirects_back_and_sends_a_signed_notification_the_adapter_accepts()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-3"));
        using var http = _sandbox.Http();

        var page = await http.GetStringAsync(created.RedirectUrl);
        Assert.Contains("TEST ONLY — Sandbox Pay", page);
        Assert.Contains("Order &lt;1&gt;", page);
        foreach (var action in new[] { "pay", "decline", "pending", "cancel" })
        {
            Assert.Contains($"value=\"{action}\"", page);
        }

        var pay = await http.PostAsync(created.RedirectUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "pay" }));
        Assert.Equal(HttpStatusCode.SeeOther, pay.StatusCode);
        Assert.Equal($"{_merchant.BaseUrl}/return?ref=pay-3&sandboxpay_payment={created.ProviderPaymentId}", pay.Headers.Location?.ToString());

        await _sandbox.State.WaitUntilAsync(s => s.SentCalls.Any(c => c.Kind == SentCallKinds.SandboxPayNotification && c.StatusCode == 200));
        var sent = Assert.Single(_merchant.Requests, r => r.PathAndQuery == "/notify");
        var notification = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = sent.Body, Headers = sent.Headers });
        Assert.Equal(created.ProviderPaymentId, notification.ProviderPaymentId);
        Assert.Equal("pay-3", notification.PaymentRef);
        Assert.Equal(PaymentMode.Test, notification.Mode);
        Assert.True(notification.Relevant);

        var tampered = sent.Body.Replace("succeeded", "succeeded ", StringComparison.Ordinal);
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() =>
            Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = tampered, Headers = sent.Headers }));
    }

    [Fact]
    public async Task Cancel_goes_to_the_cancel_url()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-4"));
        using var http = _sandbox.Http();

        var cancel = await http.PostAsync(created.RedirectUrl, new FormUrlEncodedContent(new Dictionary<string, string> { ["action"] = "cancel" }));

        Assert.Equal(HttpStatusCode.SeeOther, cancel.StatusCode);
        Assert.Equal(_merchant.BaseUrl + "/cancel", cancel.Headers.Location?.ToString());
        Assert.Equal(PaymentStatus.Canceled, (await Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId))).Status);
    }

    [Fact]
    public async Task Expired_wrongly_signed_or_unsigned_notifications_are_rejected()
    {
        const string body = """{"type":"payment.updated","payment":{"id":"sp_1","status":"succeeded","amount":1,"currency":"USD","reference":"r"}}""";
        Task<ProviderNotification> Parse(string? signature) => Provider.ParseNotificationAsync(new ProviderNotificationRequest
        {
            Body = body,
            Headers = signature is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["sandboxpay-signature"] = signature },
        });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.Equal("sp_1", (await Parse(SandboxSidePay.Create(SandboxFactory.SigningSecret, now, body))).ProviderPaymentId);
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => Parse(SandboxSidePay.Create(SandboxFactory.SigningSecret, now - 600, body)));
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => Parse(SandboxSidePay.Create("other-secret", now, body)));
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => Parse(null));
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => Parse("t=abc,v1=00"));
    }

    [Fact]
    public async Task The_simulate_hook_sets_a_status_and_notifies()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-5"));
        using var http = _sandbox.Http();

        var response = await http.PostAsJsonAsync($"/sandboxpay/v1/payments/{created.ProviderPaymentId}/simulate", new { status = "declined", notify = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _sandbox.State.WaitUntilAsync(s => s.SentCalls.Any(c => c.Subject == created.ProviderPaymentId));
        var payment = await Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId));
        Assert.Equal(PaymentStatus.Failed, payment.Status);
        Assert.Equal("card_declined", payment.FailureCode);
    }
}
