using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.SandboxPay;
using SnipcartGateway.Providers.SandboxWidget;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Providers.SandboxWidget;

/// <summary>The Sandbox Widget adapter against the running sandbox: Sandbox Pay's simulator in its widget flow.</summary>
public sealed class SandboxWidgetProviderTests : IAsyncLifetime
{
    private LoopbackServer _merchant = null!;
    private SandboxFactory _sandbox = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _merchant = await LoopbackServer.AnsweringAsync(200);
        _sandbox = SandboxFactory.Start();
        _services = Services(Settings());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
        await _merchant.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Providers:SandboxWidget:Enabled"] = "true",
        ["Providers:SandboxWidget:Test:BaseUrl"] = _sandbox.BaseUrl + "/sandboxpay",
        ["Providers:SandboxWidget:Test:SecretKey"] = SandboxFactory.SandboxPayKey,
        ["Providers:SandboxWidget:Test:SigningSecret"] = SandboxFactory.SigningSecret,
    };

    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging()
            .AddSandboxWidgetProvider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    private IPaymentProvider Provider => _services.GetRequiredService<IPaymentProvider>();

    private ProviderPaymentRequest Request(string paymentRef, decimal amount = 12.34m) => new()
    {
        PaymentRef = paymentRef,
        Mode = PaymentMode.Test,
        Amount = new Money(amount, "usd"),
        Description = "Order 1",
        Invoice = new SnipcartInvoice { Currency = "usd", Amount = amount },
        ReturnUrl = new Uri(_merchant.BaseUrl + "/return"),
        CancelUrl = new Uri(_merchant.BaseUrl + "/cancel"),
        NotificationUrl = new Uri(_merchant.BaseUrl + "/notify?mode=test"),
    };

    private static ProviderPaymentLookup Lookup(string id) => new() { PaymentRef = "r", Mode = PaymentMode.Test, ProviderPaymentId = id };

    [Fact]
    public void Identity_capabilities_supports_and_widget_origin()
    {
        Assert.Equal("sandboxwidget", Provider.Id);
        Assert.Equal("Sandbox Widget (test only)", Provider.DisplayName);
        Assert.Equal(new ProviderCapabilities(true, true, Cancel: true, RefundLookup: true), Provider.Capabilities);
        Assert.True(Provider.Supports(PaymentMode.Test, "usd", "US"));
        Assert.False(Provider.Supports(PaymentMode.Live, "usd", "US"));
        // The script's origin, for the page's CSP: the sandbox, without path.
        Assert.Equal(new[] { _sandbox.BaseUrl }, Provider.WidgetOrigins);
    }

    [Fact]
    public async Task A_disabled_provider_declares_no_widget_origin()
    {
        var settings = Settings();
        settings["Providers:SandboxWidget:Enabled"] = "false";
        await using var services = Services(settings);

        Assert.Empty(services.GetRequiredService<IPaymentProvider>().WidgetOrigins);
    }

    [Fact]
    public async Task A_configured_script_url_is_the_widget_and_its_origin_is_declared()
    {
        var settings = Settings();
        settings["Providers:SandboxWidget:Test:WidgetScriptUrl"] = "https://cdn.widget.example:8443/v2/widget.js";
        await using var services = Services(settings);
        var provider = services.GetRequiredService<IPaymentProvider>();

        Assert.Equal(new[] { "https://cdn.widget.example:8443" }, provider.WidgetOrigins);
        var created = await provider.CreatePaymentAsync(Request("pay-w-script"));
        Assert.Equal("https://cdn.widget.example:8443/v2/widget.js", created.Widget!.ScriptUrl.AbsoluteUri);
    }

    [Fact]
    public async Task Create_answers_a_widget_with_the_checkout_token_and_no_redirect()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-w1"));
        var again = await Provider.CreatePaymentAsync(Request("pay-w1"));

        Assert.Null(created.RedirectUrl);
        var widget = Assert.IsType<ProviderWidget>(created.Widget);
        Assert.Equal("sandboxwidget", widget.Kind);
        Assert.Equal(_sandbox.BaseUrl + "/sandboxpay/widget.js", widget.ScriptUrl.AbsoluteUri);
        var payment = _sandbox.State.GetSandboxPayPayment(created.ProviderPaymentId)!;
        Assert.Equal(SandboxPayFlows.Widget, payment.Flow);
        Assert.Null(payment.ReturnUrl);
        Assert.Equal(12.34m, payment.Amount);
        Assert.Equal(new Dictionary<string, string> { ["checkoutToken"] = payment.CheckoutToken!, ["transactionId"] = payment.Id }, widget.Values);
        Assert.Equal(payment.CheckoutToken, created.ProviderData!["checkoutToken"]);
        Assert.Equal(payment.Id, created.ProviderData["paymentId"]);
        // What the page gets: flat, kind and scriptUrl beside the values.
        Assert.Equal("sandboxwidget", widget.ToPageModel()["kind"]);
        Assert.Equal(widget.ScriptUrl.AbsoluteUri, widget.ToPageModel()["scriptUrl"]);
        // Keyed by our payment ref: a retried create is the same payment.
        Assert.Equal(created.ProviderPaymentId, again.ProviderPaymentId);
        Assert.Equal(widget.Values["checkoutToken"], again.Widget!.Values["checkoutToken"]);
    }

    [Fact]
    public async Task Paying_in_the_widget_is_seen_by_the_lookup_and_notified_with_a_signature_the_adapter_accepts()
    {
        var created = await Provider.CreatePaymentAsync(Request("pay-w2"));
        Assert.Equal(PaymentStatus.AwaitingShopper, (await Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId))).Status);
        using var http = _sandbox.Http();

        // What the widget script does when the shopper clicks Pay.
        var pay = await http.PostAsync($"/sandboxpay/widget/v1/checkouts/{created.Widget!.Values["checkoutToken"]}/pay", null);
        Assert.Equal(HttpStatusCode.OK, pay.StatusCode);

        var payment = await Provider.GetPaymentAsync(Lookup(created.ProviderPaymentId));
        Assert.Equal(PaymentStatus.Paid, payment.Status);
        Assert.Equal(new Money(12.34m, "USD"), payment.Amount);
        Assert.Equal("pay-w2", payment.Reference);
        await _sandbox.State.WaitUntilAsync(s => s.SentCalls.Any(c => c.Kind == SentCallKinds.SandboxPayNotification && c.Subject == created.ProviderPaymentId && c.StatusCode == 200));
        var sent = Assert.Single(_merchant.Requests, r => r.PathAndQuery == "/notify?mode=test");
        var notification = await Provider.ParseNotificationAsync(new ProviderNotificationRequest { Body = sent.Body, Headers = sent.Headers, Mode = PaymentMode.Test });
        Assert.Equal(created.ProviderPaymentId, notification.ProviderPaymentId);
        Assert.Equal("pay-w2", notification.PaymentRef);
        Assert.Equal(PaymentMode.Test, notification.Mode);

        var refund = await Provider.RefundAsync(new ProviderRefundRequest
        {
            PaymentRef = "pay-w2",
            RefundRef = "ref_w2",
            Mode = PaymentMode.Test,
            ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(2m, "USD"),
            PaymentAmount = new Money(12.34m, "USD"),
        });
        Assert.Equal(RefundStatus.Succeeded, refund.Status);
    }

    [Fact]
    public async Task Its_errors_name_sandbox_widget()
    {
        var settings = Settings();
        settings["Providers:SandboxWidget:Test:SecretKey"] = "wrong-key";
        await using var services = Services(settings);

        var error = await Assert.ThrowsAsync<SandboxPayException>(() => services.GetRequiredService<IPaymentProvider>().CreatePaymentAsync(Request("pay-w3")));

        Assert.Equal("sandboxwidget", error.ProviderId);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("wrong-key", error.Message);
    }

    [Fact]
    public async Task Live_credentials_and_a_bad_script_url_are_refused_at_start_up_by_name()
    {
        var settings = Settings();
        settings["Providers:SandboxWidget:Live:SecretKey"] = "live";
        settings["Providers:SandboxWidget:Live:SigningSecret"] = "live";
        settings["Providers:SandboxWidget:Test:WidgetScriptUrl"] = "javascript:alert(1)";
        await using var services = Services(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SandboxWidgetOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Providers__SandboxWidget__Live__SecretKey", StringComparison.Ordinal) && f.Contains("test-only", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Providers__SandboxWidget__Test__WidgetScriptUrl", StringComparison.Ordinal));
    }
}
