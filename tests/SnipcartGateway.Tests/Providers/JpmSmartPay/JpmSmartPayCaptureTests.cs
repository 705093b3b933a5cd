using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.JpmSmartPay;
using SnipcartGateway.Sandbox.JpmSmartPay;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Providers.JpmSmartPay;

/// <summary>Authorise then capture with SmartPay by J.P. Morgan (merchant auto-capture off), adapter against the
/// simulated SmartPay over loopback.</summary>
public sealed class JpmSmartPayCaptureTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private readonly AllLogs _logs = new();
    private readonly List<ServiceProvider> _adapters = [];

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        Smp.Settings.AutoCapture = false;
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

    private IPaymentProvider Adapter(string? baseUrl = null)
    {
        var settings = JpmSmartPayTestSettings.For(_sandbox.BaseUrl, oauth: false);
        if (baseUrl is not null)
        {
            settings["Providers:JpmSmartPay:Test:BaseUrl"] = baseUrl;
        }
        var services = JpmSmartPayTestSettings.Adapter(settings, _logs);
        _adapters.Add(services);
        return services.GetServices<IPaymentProvider>().Single(p => p.Id == "jpmsmartpay");
    }

    private static ProviderPaymentRequest Request(string paymentRef) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        Amount = new Money(12.3m, "eur"),
        Description = "Radium",
        Invoice = new SnipcartInvoice
        {
            Currency = "eur",
            Amount = 12.3m,
            Email = "marie.curie@example.com",
            Language = "en",
            BillingAddress = new SnipcartAddress { Name = "Marie Curie", StreetAndNumber = "Rue Pierre 11", PostalCode = "75005", City = "Paris", Country = "FR" },
            Items = [new SnipcartItem { Name = "Radium", Quantity = 1, UnitPrice = 12.3m, Type = "Digital" }],
        },
        ReturnUrl = new Uri("https://pay.example.com/gateway/api/checkout/return/" + paymentRef),
        CancelUrl = new Uri("https://pay.example.com/gateway/api/checkout/cancel/" + paymentRef),
        NotificationUrl = new Uri("https://pay.example.com/gateway/api/providers/jpmsmartpay/notifications?mode=test"),
        Language = "en",
    };

    /// <summary>A checkout the shopper paid in the widget while the merchant's auto-capture is off.</summary>
    private async Task<(IPaymentProvider Provider, ProviderPaymentCreated Created)> AuthorisedAsync(string paymentRef)
    {
        var provider = Adapter();
        var created = await provider.CreatePaymentAsync(Request(paymentRef));
        using var widget = _sandbox.Http();
        var token = created.ProviderData![JpmSmartPayProvider.DataKeys.CheckoutToken];
        var submitted = await widget.PostAsync($"/jpmsmartpay/widget/checkouts/{token}/submit", JsonBody("""{"outcome":"pay"}"""));
        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        return (provider, created);
    }

    private static StringContent JsonBody(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private static ProviderPaymentLookup Lookup(ProviderPaymentCreated created, string paymentRef) => new()
    {
        PaymentRef = paymentRef, Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId, ProviderData = created.ProviderData!,
    };

    private static ProviderCaptureRequest Capture(ProviderPaymentCreated created, string paymentRef, string captureRef) => new()
    {
        PaymentRef = paymentRef,
        CaptureRef = captureRef,
        Mode = PaymentMode.Test,
        ProviderPaymentId = created.ProviderPaymentId,
        Amount = new Money(12.3m, "eur"),
        ProviderData = created.ProviderData!,
    };

    private static ProviderCancelRequest Cancel(ProviderPaymentCreated created, string paymentRef) => new()
    {
        PaymentRef = paymentRef, Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId, Amount = new Money(12.3m, "EUR"), ProviderData = created.ProviderData!,
    };

    [Fact]
    public async Task An_authorised_payment_is_Authorized_and_a_capture_retried_under_the_same_id_captures_once()
    {
        var (provider, created) = await AuthorisedAsync("pay_cap1");

        var before = await provider.GetPaymentAsync(Lookup(created, "pay_cap1"));
        var first = await provider.CaptureAsync(Capture(created, "pay_cap1", "cap_pay_cap1"));
        var retried = await provider.CaptureAsync(Capture(created, "pay_cap1", "cap_pay_cap1"));
        var after = await provider.GetPaymentAsync(Lookup(created, "pay_cap1"));

        Assert.Equal(PaymentStatus.Authorized, before.Status);
        Assert.Equal("AUTHORIZATION_COMPLETED", before.ProviderStatus);
        Assert.Equal(CaptureStatus.Succeeded, first.Status);
        Assert.Equal(CaptureStatus.Succeeded, retried.Status);
        Assert.Equal("cap_pay_cap1", first.ProviderCaptureId);
        Assert.Equal(1, Smp.Captures(created.ProviderPaymentId));
        Assert.Equal(PaymentStatus.Paid, after.Status);
        var body = JsonDocument.Parse(Smp.Calls.First(c => c.Path == "/jpmsmartpay/payment/capture").Body!).RootElement;
        Assert.Equal(created.ProviderPaymentId, body.GetProperty("transactionId").GetString());
        Assert.Equal("cap_pay_cap1", body.GetProperty("modificationId").GetString());
        Assert.Equal(Smp.Settings.MerchantKey, body.GetProperty("merchantKey").GetString());
        Assert.Equal("12.30", body.GetProperty("modifiedAmount").GetProperty("amount").GetRawText());
        Assert.Equal("EUR", body.GetProperty("modifiedAmount").GetProperty("currencyCode").GetString());
    }

    [Fact]
    public async Task A_capture_after_the_authorisation_expired_is_a_rejection_and_the_authorisation_can_still_be_voided()
    {
        var (provider, created) = await AuthorisedAsync("pay_cap2");
        Smp.ExpireAuthorization(created.ProviderPaymentId);

        var refused = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CaptureAsync(Capture(created, "pay_cap2", "cap_pay_cap2")));
        var voided = await provider.CancelPaymentAsync(Cancel(created, "pay_cap2"));

        Assert.True(refused.IsRejection);
        Assert.Equal("AUTHORIZATION_EXPIRED", refused.ErrorCode);
        Assert.Equal(0, Smp.Captures(created.ProviderPaymentId));
        Assert.True(voided.Canceled);
        Assert.Equal("CANCELLED", Smp.Get(created.ProviderPaymentId)!.Status);
    }

    [Fact]
    public async Task An_authorisation_lifetime_of_the_merchant_account_makes_a_late_capture_a_rejection()
    {
        Smp.Settings.AuthorizationLifetime = TimeSpan.Zero;
        var (provider, created) = await AuthorisedAsync("pay_cap3");

        var refused = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CaptureAsync(Capture(created, "pay_cap3", "cap_pay_cap3")));

        Assert.True(refused.IsRejection);
        Assert.Equal(0, Smp.Captures(created.ProviderPaymentId));
        Assert.Equal(PaymentStatus.Authorized, (await provider.GetPaymentAsync(Lookup(created, "pay_cap3"))).Status);
    }

    [Fact]
    public async Task A_capture_of_a_transaction_captured_already_is_done_not_refused_and_not_taken_twice()
    {
        var (provider, created) = await AuthorisedAsync("pay_cap4");
        await provider.CaptureAsync(Capture(created, "pay_cap4", "cap_pay_cap4"));

        // Another id (SmartPay forgot ours, or the merchant captured in its console): refused, but the money is taken.
        var again = await provider.CaptureAsync(Capture(created, "pay_cap4", "cap_pay_cap4_other"));

        Assert.Equal(CaptureStatus.Succeeded, again.Status);
        Assert.Equal(1, Smp.Captures(created.ProviderPaymentId));
    }

    [Fact]
    public async Task A_captured_payment_is_never_voided()
    {
        var (provider, created) = await AuthorisedAsync("pay_cap5");
        await provider.CaptureAsync(Capture(created, "pay_cap5", "cap_pay_cap5"));

        var refused = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CancelPaymentAsync(Cancel(created, "pay_cap5")));

        Assert.True(refused.IsRejection);
        Assert.Equal("CAPTURED", Smp.Get(created.ProviderPaymentId)!.Status);
        Assert.DoesNotContain(Smp.Get(created.ProviderPaymentId)!.Modifications, m => m.Type is "REFUND" or "CANCELLATION");
    }

    [Fact]
    public async Task No_answer_to_a_capture_is_not_a_rejection_and_every_try_carries_the_same_modification_id()
    {
        await using var down = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        var provider = Adapter(down.BaseUrl);
        var created = new ProviderPaymentCreated
        {
            ProviderPaymentId = "7f0c8a2e-0000-4000-8000-000000000001",
            ProviderData = new Dictionary<string, string> { ["transactionId"] = "7f0c8a2e-0000-4000-8000-000000000001" },
        };

        var failed = await Assert.ThrowsAsync<JpmSmartPayException>(() => provider.CaptureAsync(Capture(created, "pay_cap6", "cap_pay_cap6")));

        Assert.False(failed.IsRejection);
        var tries = down.Requests.Where(r => r.PathAndQuery == "/payment/capture").ToList();
        Assert.True(tries.Count >= 2, "a capture keyed by modificationId is retried");
        Assert.All(tries, t => Assert.Equal("cap_pay_cap6", JsonDocument.Parse(t.Body).RootElement.GetProperty("modificationId").GetString()));
    }

    [Fact]
    public async Task A_capture_id_longer_than_smartpay_takes_is_refused_before_anything_is_sent()
    {
        var (provider, created) = await AuthorisedAsync("pay_cap7");

        await Assert.ThrowsAsync<ArgumentException>(() => provider.CaptureAsync(Capture(created, "pay_cap7", new string('c', 65))));

        Assert.DoesNotContain(Smp.Calls, c => c.Path == "/jpmsmartpay/payment/capture");
    }

    [Theory]
    [InlineData("SUCCESS", "CAPTURED", CaptureStatus.Succeeded)]
    [InlineData("COMPLETED", "AUTHORIZATION_COMPLETED", CaptureStatus.Succeeded)]
    [InlineData("PENDING", "CAPTURE_PENDING", CaptureStatus.Pending)]
    [InlineData("CAPTURE_PENDING", "AUTHORIZATION_COMPLETED", CaptureStatus.Pending)]
    [InlineData("FAILED", "AUTHORIZATION_COMPLETED", CaptureStatus.Failed)]
    [InlineData("REJECTED", "CAPTURED", CaptureStatus.Failed)]
    [InlineData("DECLINED", null, CaptureStatus.Failed)]
    [InlineData(null, "CAPTURED", CaptureStatus.Succeeded)]
    [InlineData(null, "SETTLED", CaptureStatus.Succeeded)]
    [InlineData(null, "CAPTURE_FAILED", CaptureStatus.Failed)]
    [InlineData(null, "CAPTURE_PENDING", CaptureStatus.Pending)]
    [InlineData(null, "AUTHORIZATION_COMPLETED", CaptureStatus.Pending)]
    [InlineData(null, null, CaptureStatus.Pending)]
    public void A_capture_answer_is_read_from_our_modification_first_then_the_transaction_status(string? modification, string? payment, CaptureStatus expected) =>
        Assert.Equal(expected, JpmSmartPayCaptureOutcome.Of(modification, payment));
}
