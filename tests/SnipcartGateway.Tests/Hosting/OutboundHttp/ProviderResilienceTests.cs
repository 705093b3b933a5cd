using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Providers;
using SnipcartGateway.Providers.SandboxPay;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Hosting.OutboundHttp;

/// <summary>
/// A provider's client goes through the same pipeline: Sandbox Pay's create-payment carries an idempotency key,
/// so a 503 is retried under that one key; its adapter still turns the final failure into its own exception.
/// </summary>
public sealed class ProviderResilienceTests
{
    private static IPaymentProvider Provider(string baseUrl) => new ServiceCollection()
        .AddLogging()
        .AddSandboxPayProvider(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Providers:SandboxPay:Enabled"] = "true",
            ["Providers:SandboxPay:Test:BaseUrl"] = baseUrl,
            ["Providers:SandboxPay:Test:SecretKey"] = "sp_test_key",
            ["Providers:SandboxPay:Test:SigningSecret"] = "sp_test_signing",
        }).Build())
        .BuildServiceProvider()
        .GetRequiredService<IPaymentProvider>();

    [Fact]
    public async Task Sandbox_Pay_create_payment_is_retried_under_one_idempotency_key()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503, """{"detail":"busy"}""");

        await Assert.ThrowsAsync<SandboxPayException>(() => Provider(server.BaseUrl).CreatePaymentAsync(new ProviderPaymentRequest
        {
            PaymentRef = "ref-42",
            Mode = PaymentMode.Test,
            Amount = new Money(12.34m, "USD"),
            Description = "Order 42",
            Invoice = new SnipcartInvoice { Currency = "usd", Amount = 12.34m },
            ReturnUrl = new Uri("https://shop.example/return"),
            CancelUrl = new Uri("https://shop.example/cancel"),
            NotificationUrl = new Uri("https://gateway.example/notify"),
        }));

        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("ref-42", r.Headers[OutboundRequest.IdempotencyKeyHeader]));
    }
}
