using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SnipcartGateway.Domain;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.Smartpay;
using SnipcartGateway.Sandbox.Smartpay;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Providers.JpmSmartPay;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Providers.Smartpay;

/// <summary>Smartpay's secrets at every log level, and in what an error answer brings back.</summary>
public sealed class SmartpaySecretsAndRefusalTests
{
    private const string Key = "sk_test_review3SecretKeyValue";
    private const string Signing = "review3SigningSecretValue0local";

    private static ServiceProvider Build(string apiBaseUrl, AllLogs logs) =>
        new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSmartpayProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Providers:Smartpay:Enabled"] = "true",
                ["Providers:Smartpay:ApiBaseUrl"] = apiBaseUrl,
                ["Providers:Smartpay:Test:SecretKey"] = Key,
                ["Providers:Smartpay:Test:SigningSecret"] = Signing,
            }).Build())
            .BuildServiceProvider();

    private static ProviderPaymentRequest Request(string paymentRef)
    {
        var invoice = new SnipcartInvoice
        {
            Currency = "jpy",
            Amount = 1000m,
            Email = "hanako@example.jp",
            BillingAddress = new SnipcartAddress { Name = "Hanako Yamada", StreetAndNumber = "1-2-3 Shibuya", City = "Shibuya-ku", PostalCode = "150-0002", Country = "jp" },
            Items = [new SnipcartItem { Name = "Tea", UnitPrice = 1000m, Quantity = 1, Type = "Physical", Amount = 1000m }],
        };
        return new ProviderPaymentRequest
        {
            PaymentRef = paymentRef,
            Mode = PaymentMode.Test,
            Amount = new Money(1000m, "JPY"),
            Description = "Order",
            Invoice = invoice,
            ReturnUrl = new Uri("https://gw.example/return/" + paymentRef),
            CancelUrl = new Uri("https://gw.example/cancel/" + paymentRef),
            NotificationUrl = new Uri("https://gw.example/notify?mode=test"),
        };
    }

    [Fact]
    public async Task an_error_answer_echoing_the_key_reaches_no_log_line_exception_or_shopper_message()
    {
        // A refusal that quotes the request's key (as some payment APIs do for an invalid or misused key).
        await using var smartpay = await LoopbackServer.StartAsync(async context =>
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"statusCode":400,"errorCode":"request.invalid","message":"The key {{Key}} cannot be used with signing secret {{Signing}}.","details":[]}""");
        });
        var logs = new AllLogs();
        await using var services = Build(smartpay.BaseUrl + "/v1", logs);
        var provider = services.GetRequiredService<IPaymentProvider>();

        var create = await Assert.ThrowsAsync<SmartpayException>(() => provider.CreatePaymentAsync(Request("pay_review3aaaaaaaaaaaaaaaaaaaa")));
        var lookup = await Assert.ThrowsAsync<SmartpayException>(() => provider.GetPaymentAsync(new ProviderPaymentLookup { PaymentRef = "pay_r", Mode = PaymentMode.Test, ProviderPaymentId = "order_test_1" }));
        var refund = await Assert.ThrowsAsync<SmartpayException>(() => provider.RefundAsync(new ProviderRefundRequest
        {
            PaymentRef = "pay_r", RefundRef = Guid.NewGuid().ToString(), Mode = PaymentMode.Test, ProviderPaymentId = "order_test_1",
            Amount = new Money(100m, "JPY"), PaymentAmount = new Money(1000m, "JPY"),
            ProviderData = new Dictionary<string, string> { [SmartpayProvider.PaymentIdKey] = "payment_test_1" },
        }));
        // A webhook signed with something else is refused (and logged by nobody with a secret in it).
        await Assert.ThrowsAsync<ProviderNotificationRejectedException>(() => provider.ParseNotificationAsync(new ProviderNotificationRequest
        {
            Body = "{}", Mode = PaymentMode.Test,
            Headers = new Dictionary<string, string> { ["Smartpay-Signature"] = new string('a', 64), ["Smartpay-Signature-Timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString() },
            Query = new Dictionary<string, string>(),
        }));

        Assert.NotEmpty(logs.Lines);
        // The HTTP client's own Trace lines (request headers, Authorization among them) were captured too.
        Assert.Contains(logs.Lines, l => l.StartsWith("Trace System.Net.Http.HttpClient.smartpay", StringComparison.Ordinal) && l.Contains("Authorization", StringComparison.Ordinal));
        var everything = string.Join("\n", new[] { logs.Text }
            .Concat(new[] { create, lookup, refund }.SelectMany(e => new[] { e.ToString(), e.ShopperMessage ?? "", e.Error?.Message ?? "" })));
        Assert.Contains("request.invalid", everything); // Smartpay's code is still there for support
        Assert.DoesNotContain(Key, everything);
        Assert.DoesNotContain(Signing, everything);
    }
    [Fact]
    public async Task a_refund_of_an_authorised_but_uncaptured_order_is_a_refusal_not_an_unknown_outcome()
    {
        await using var sandbox = SandboxFactory.Start();
        var logs = new AllLogs();
        await using var services = new ServiceCollection().AddLogging().AddSmartpayProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:Smartpay:Enabled"] = "true",
            ["Providers:Smartpay:ApiBaseUrl"] = sandbox.BaseUrl + "/smartpay/v1",
            ["Providers:Smartpay:CaptureMethod"] = "manual",
            ["Providers:Smartpay:Test:SecretKey"] = "sk_test_sandboxSmartpayLocal",
            ["Providers:Smartpay:Test:SigningSecret"] = "sandboxSmartpaySigningSecret0local",
        }).Build()).BuildServiceProvider();
        var provider = services.GetRequiredService<IPaymentProvider>();
        var created = await provider.CreatePaymentAsync(Request("pay_review3manual"));
        sandbox.Services.GetRequiredService<SmartpayState>().Approve(created.ProviderPaymentId);
        Assert.Equal(PaymentStatus.Authorized, (await provider.GetPaymentAsync(new ProviderPaymentLookup { PaymentRef = "pay_review3manual", Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId })).Status);

        // Authorised but nothing captured: there is no payment to refund. Smartpay was asked and answered, so the
        // core must hear a refusal (released, 422 to Snipcart), not "no answer" (amount reserved for ever, 502 each retry).
        var ex = await Assert.ThrowsAsync<SmartpayException>(() => provider.RefundAsync(new ProviderRefundRequest
        {
            PaymentRef = "pay_review3manual", RefundRef = Guid.NewGuid().ToString(), Mode = PaymentMode.Test, ProviderPaymentId = created.ProviderPaymentId,
            Amount = new Money(100m, "JPY"), PaymentAmount = new Money(1000m, "JPY"),
        }));
        Assert.True(ex.IsRejection);
        Assert.NotEqual(HttpStatusCode.Conflict, ex.StatusCode);
    }
    [Fact]
    public async Task a_mode_without_a_key_is_a_provider_error_not_an_unhandled_exception()
    {
        var logs = new AllLogs();
        // Only test mode is configured; a live attempt (say, its keys removed while it was in flight) is looked up.
        await using var services = Build("https://api.smartpay.example/v1", logs);
        var provider = services.GetRequiredService<IPaymentProvider>();

        var ex = await Record.ExceptionAsync(() => provider.GetPaymentAsync(new ProviderPaymentLookup { PaymentRef = "pay_live", Mode = PaymentMode.Live, ProviderPaymentId = "order_live_1" }));

        var refused = Assert.IsType<SmartpayException>(ex); // the core answers a ProviderException; anything else is a 500
        Assert.Contains("Providers__Smartpay__Live__SecretKey", refused.Message);
    }
}
