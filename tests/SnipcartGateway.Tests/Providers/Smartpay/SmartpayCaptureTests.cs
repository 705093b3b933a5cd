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

/// <summary>Manual capture with Smartpay: the adapter against the sandbox's Smartpay simulator over loopback.</summary>
public sealed class SmartpayCaptureTests : IAsyncLifetime
{
    private SandboxFactory _sandbox = null!;
    private readonly List<ServiceProvider> _built = [];

    public Task InitializeAsync()
    {
        _sandbox = SandboxFactory.Start();
        foreach (var endpoint in State.WebhookEndpoints)
        {
            State.RemoveWebhookEndpoint(endpoint.Id);   // no gateway listens in these tests
        }
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var services in _built)
        {
            await services.DisposeAsync();
        }
        await _sandbox.DisposeAsync();
    }

    private SmartpayState State => _sandbox.Services.GetRequiredService<SmartpayState>();

    private IPaymentProvider Provider(string captureMethod)
    {
        var services = new ServiceCollection().AddLogging().AddSmartpayProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:Smartpay:Enabled"] = "true",
            ["Providers:Smartpay:ApiBaseUrl"] = _sandbox.BaseUrl + "/smartpay/v1",
            ["Providers:Smartpay:CaptureMethod"] = captureMethod,
            ["Providers:Smartpay:Test:SecretKey"] = "sk_test_sandboxSmartpayLocal",
            ["Providers:Smartpay:Test:SigningSecret"] = "sandboxSmartpaySigningSecret0local",
        }).Build()).BuildServiceProvider();
        _built.Add(services);
        return services.GetRequiredService<IPaymentProvider>();
    }

    private static readonly SnipcartInvoice Cart = new()
    {
        Currency = "jpy",
        Language = "ja-JP",
        Email = "hanako@example.jp",
        Amount = 6230m,
        BillingAddress = new SnipcartAddress { Name = "Hanako Yamada", StreetAndNumber = "1-2-3 Shibuya", City = "Shibuya-ku", PostalCode = "150-0002", Country = "jp" },
        Items =
        [
            new SnipcartItem { Name = "Matcha set", UnitPrice = 1500m, Quantity = 3, Type = "Physical", Amount = 4500m },
            new SnipcartItem { Name = "Tea cup", UnitPrice = 800m, Quantity = 1, Type = "Physical", Amount = 800m },
            new SnipcartItem { Name = "Consumption tax", UnitPrice = 530m, Quantity = 1, Type = "Tax", Amount = 530m },
            new SnipcartItem { Name = "Shipping", UnitPrice = 400m, Quantity = 1, Type = "Shipping", Amount = 400m },
        ],
    };

    private static ProviderPaymentRequest Request(string paymentRef) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        Amount = new Money(6230m, "jpy"),
        Description = "Order",
        Invoice = Cart,
        Language = "ja-JP",
        ReturnUrl = new Uri("https://pay.example.com/return/" + paymentRef),
        CancelUrl = new Uri("https://pay.example.com/cancel/" + paymentRef),
        NotificationUrl = new Uri("https://pay.example.com/notify?mode=test"),
    };

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
        Amount = new Money(6230m, "jpy"),
        ProviderData = created.ProviderData!,
    };

    private async Task<(IPaymentProvider Provider, ProviderPaymentCreated Created)> AuthorisedAsync(string paymentRef)
    {
        var provider = Provider("manual");
        var created = await provider.CreatePaymentAsync(Request(paymentRef));
        Assert.NotNull(State.Approve(created.ProviderPaymentId));
        return (provider, created);
    }

    [Fact]
    public async Task An_authorised_order_is_Authorized_and_a_capture_retried_under_the_same_key_captures_once()
    {
        var (provider, created) = await AuthorisedAsync("pay_spcap1");

        var before = await provider.GetPaymentAsync(Lookup(created, "pay_spcap1"));
        var first = await provider.CaptureAsync(Capture(created, "pay_spcap1", "cap_spcap1"));
        var retried = await provider.CaptureAsync(Capture(created, "pay_spcap1", "cap_spcap1"));
        var after = await provider.GetPaymentAsync(Lookup(created, "pay_spcap1"));

        Assert.Equal(PaymentStatus.Authorized, before.Status);
        Assert.Equal(CaptureStatus.Succeeded, first.Status);
        Assert.Equal(first.ProviderCaptureId, retried.ProviderCaptureId);
        Assert.Equal(first.ProviderCaptureId, first.ProviderData![SmartpayProvider.PaymentIdKey]);
        Assert.Equal(1, State.Captures(created.ProviderPaymentId));
        Assert.Equal(PaymentStatus.Paid, after.Status);
        var calls = State.Calls.Where(c => c.Method == "POST" && c.Path == "/smartpay/v1/payments").ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("cap_spcap1", c.IdempotencyKey));
        var body = JsonDocument.Parse(calls[0].Body!).RootElement;
        Assert.Equal(created.ProviderPaymentId, body.GetProperty("order").GetString());
        Assert.Equal(6230, body.GetProperty("amount").GetInt64());
        Assert.Equal("JPY", body.GetProperty("currency").GetString());
        Assert.Equal("cap_spcap1", body.GetProperty("reference").GetString());
        Assert.Equal("cap_spcap1", State.GetPayment(first.ProviderCaptureId!)!.Reference);
    }

    [Fact]
    public async Task The_capture_method_the_order_was_created_with_decides_even_after_the_setting_changed()
    {
        var (_, manualOrder) = await AuthorisedAsync("pay_spcap2");
        var automatic = Provider("automatic");
        var automaticOrder = await automatic.CreatePaymentAsync(Request("pay_spcap3"));
        State.SetOrderStatus(automaticOrder.ProviderPaymentId, SmartpaySimStatuses.RequiresCapture, notify: false);

        // The setting flipped both ways since: each order keeps the method it was created with.
        var manualSeenByAutomatic = await automatic.GetPaymentAsync(Lookup(manualOrder, "pay_spcap2"));
        var automaticSeenByManual = await Provider("manual").GetPaymentAsync(Lookup(automaticOrder, "pay_spcap3"));

        Assert.Equal("manual", manualOrder.ProviderData![SmartpayProvider.CaptureMethodKey]);
        Assert.Equal("automatic", automaticOrder.ProviderData![SmartpayProvider.CaptureMethodKey]);
        Assert.Equal(PaymentStatus.Authorized, manualSeenByAutomatic.Status);
        Assert.Equal(PaymentStatus.Pending, automaticSeenByManual.Status);
    }

    [Fact]
    public async Task A_capture_after_the_authorisation_expired_is_a_rejection_and_the_order_can_still_be_cancelled()
    {
        var (provider, created) = await AuthorisedAsync("pay_spcap4");
        State.ExpireAuthorization(created.ProviderPaymentId);

        var refused = await Assert.ThrowsAsync<SmartpayException>(() => provider.CaptureAsync(Capture(created, "pay_spcap4", "cap_spcap4")));
        var voided = await provider.CancelPaymentAsync(new ProviderCancelRequest
        {
            PaymentRef = "pay_spcap4", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId, Amount = new Money(6230m, "JPY"),
            ProviderData = created.ProviderData!,
        });

        Assert.True(refused.IsRejection);
        Assert.Equal("order.cannot-capture", refused.ErrorCode);
        Assert.Equal(0, State.Captures(created.ProviderPaymentId));
        Assert.True(voided.Canceled);
        Assert.Equal(SmartpaySimStatuses.Canceled, State.GetOrder(created.ProviderPaymentId)!.Status);
    }

    [Fact]
    public async Task An_authorisation_lifetime_makes_a_late_capture_a_rejection()
    {
        State.Options.AuthorizationLifetime = TimeSpan.Zero;
        var (provider, created) = await AuthorisedAsync("pay_spcap5");

        var refused = await Assert.ThrowsAsync<SmartpayException>(() => provider.CaptureAsync(Capture(created, "pay_spcap5", "cap_spcap5")));

        Assert.True(refused.IsRejection);
        Assert.Equal(0, State.Captures(created.ProviderPaymentId));
        Assert.NotNull(State.GetOrder(created.ProviderPaymentId)!.AuthorizationExpiresAt);
    }

    [Fact]
    public async Task A_capture_of_an_order_captured_already_is_done_not_refused_and_not_taken_twice()
    {
        var (provider, created) = await AuthorisedAsync("pay_spcap6");
        var first = await provider.CaptureAsync(Capture(created, "pay_spcap6", "cap_spcap6"));

        // Another key (a retry after Smartpay's six hours, or a capture in the dashboard): Smartpay refuses it.
        var again = await provider.CaptureAsync(Capture(created, "pay_spcap6", "cap_spcap6_later"));

        Assert.Equal(CaptureStatus.Succeeded, again.Status);
        Assert.Equal(first.ProviderCaptureId, again.ProviderCaptureId);
        Assert.Equal(1, State.Captures(created.ProviderPaymentId));
    }

    [Fact]
    public async Task A_captured_order_is_never_cancelled()
    {
        var (provider, created) = await AuthorisedAsync("pay_spcap7");
        await provider.CaptureAsync(Capture(created, "pay_spcap7", "cap_spcap7"));

        var refused = await Assert.ThrowsAsync<SmartpayException>(() => provider.CancelPaymentAsync(new ProviderCancelRequest
        {
            PaymentRef = "pay_spcap7", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId, Amount = new Money(6230m, "JPY"),
            ProviderData = created.ProviderData!,
        }));

        Assert.True(refused.IsRejection);
        Assert.Equal(SmartpaySimStatuses.Succeeded, State.GetOrder(created.ProviderPaymentId)!.Status);
    }

    [Fact]
    public void Capture_is_declared() => Assert.True(Provider("automatic").Capabilities.Capture);

    [Theory]
    [InlineData("requires_capture", true, PaymentStatus.Authorized)]
    [InlineData("requires_capture", false, PaymentStatus.Pending)]
    [InlineData("succeeded", true, PaymentStatus.Paid)]
    [InlineData("succeeded", false, PaymentStatus.Paid)]
    [InlineData("requires_authorization", true, PaymentStatus.AwaitingShopper)]
    [InlineData("canceled", true, PaymentStatus.Failed)]
    [InlineData("rejected", false, PaymentStatus.Failed)]
    [InlineData("pending", true, PaymentStatus.Pending)]
    public void An_order_status_reads_by_the_capture_method_it_was_created_with(string status, bool manualCapture, PaymentStatus expected) =>
        Assert.Equal(expected, SmartpayOrderStatus.ToPaymentStatus(status, manualCapture));
}
