using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SnipcartGateway.Api;
using SnipcartGateway.Domain;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Payments;
using SnipcartGateway.Providers;
using SnipcartGateway.Sandbox;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Infrastructure;
using SnipcartGateway.Tests.Payments;

namespace SnipcartGateway.Tests.EndToEnd;

/// <summary>
/// The payment-methods answer is health-aware: Sandbox Pay failing (real 503s from the sandbox, through the real
/// client pipeline) is left out, counted and logged, while Sandbox Widget is still offered; once the cooldown is
/// over it is offered again, and an answer from it clears it. Snipcart failing hides no provider.
/// </summary>
[Collection(GatewayStackCollection.Name)]
[Trait("Host", "Functions")]
public sealed class HealthAwarePaymentMethodsTests(GatewayStackFixture stack) : IAsyncLifetime
{
    private readonly GatewayHarness _h = stack.Harness;
    private readonly MutableTimeProvider _clock = new();
    private InProcessGateway _gateway = null!;

    public Task InitializeAsync()
    {
        // No Snipcart retries: each failed call is one attempt, so the breaker (20 attempts) stays closed here.
        _gateway = InProcessGateway.For(_h, new Dictionary<string, string?> { ["Snipcart:RetryCount"] = "0" },
            services => services.AddSingleton<TimeProvider>(_clock));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private async Task<IReadOnlyList<string>> OfferedAsync()
    {
        var (_, token) = _h.NewSession();
        var answer = await _gateway.InvokeAsync(request => PaymentMethodsApi.HandleAsync(request,
                _gateway.Get<ISnipcartClient>(), _gateway.Get<IProviderRegistry>(), _gateway.Get<HealthAwareProviders>(),
                _gateway.Get<GatewayUrls>(), _gateway.Get<CheckoutLinkSigner>(), _gateway.Get<Microsoft.Extensions.Logging.ILoggerFactory>(), CancellationToken.None),
            new { publicToken = token, mode = "test", invoice = new { currency = "usd", amount = 109.89m, billingAddress = new { country = "US" } } });
        Assert.True(answer.Status == 200, answer.Body);
        return answer.Json.EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
    }

    private async Task AskSandboxPayAsync()
    {
        var sandboxPay = _gateway.Get<IProviderRegistry>().Find("sandboxpay")!;
        try
        {
            await sandboxPay.GetPaymentAsync(new ProviderPaymentLookup { PaymentRef = "pay_health", Mode = PaymentMode.Test, ProviderPaymentId = "sp_unknown" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Failing is the point (and an unknown payment, a 404, is an answer that refuses): the health records it.
        }
    }

    [Fact]
    public async Task A_failing_provider_is_left_out_until_it_recovers()
    {
        using var leftOut = new MetricCollector<long>(_gateway.Get<UpstreamMetrics>().Meter, "gateway.providers.left_out");
        Assert.Equal(["sandboxpay", "sandboxwidget"], await OfferedAsync());

        // Five lookups in a row fail (each after the pipeline's own retries).
        _h.State.FailNext(SimulatedEndpoint.SandboxPayGetPayment, 503, times: 5 * 3);
        for (var i = 0; i < UpstreamHealthRule.FailuresToLeaveOut; i++)
        {
            await AskSandboxPayAsync();
        }

        Assert.Equal(["sandboxwidget"], await OfferedAsync());
        Assert.Contains(leftOut.GetMeasurementSnapshot(), m => m.Value == 1 && Equals(m.Tags["provider"], "sandboxpay"));

        // After the cooldown it is offered again; it answers, and stays offered.
        _clock.Advance(UpstreamHealthRule.Cooldown);
        Assert.Equal(["sandboxpay", "sandboxwidget"], await OfferedAsync());
        await AskSandboxPayAsync();
        Assert.Equal(["sandboxpay", "sandboxwidget"], await OfferedAsync());
    }

    [Fact]
    public async Task Snipcart_failing_hides_no_provider()
    {
        // Snipcart's session reads fail six times in a row: Snipcart's health, not a provider's.
        _h.State.FailNext(SimulatedEndpoint.PaymentSession, 503, times: 6);
        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<SnipcartException>(() => _gateway.Get<ISnipcartClient>().GetPaymentSessionAsync("tok_unknown"));
        }

        Assert.Equal(["sandboxpay", "sandboxwidget"], await OfferedAsync());
    }
}
