using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SnipcartGateway.Domain;
using SnipcartGateway.Snipcart;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Snipcart;

/// <summary>
/// The Snipcart client's resilience pipeline over loopback HTTP: GETs retry, the payment confirmation is sent
/// once, Polly's timeouts and open circuits arrive as the SnipcartException callers already handle, and no log
/// line (the pipeline's included) carries the public token.
/// </summary>
public sealed class SnipcartResilienceTests
{
    private const string Token = "tok_SECRET_0123456789abcdef";

    private static ServiceProvider Services(string baseUrl, string timeout = "00:00:05", Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Snipcart:ApiBaseUrl"] = baseUrl,
            ["Snipcart:SecretKeys:Test"] = SandboxFactory.TestKey,
            ["Snipcart:Timeout"] = timeout,
            ["Snipcart:RetryDelay"] = "00:00:00", // no slow tests
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace))
            .AddSnipcartClient(configuration);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static SnipcartPaymentRequest Confirmation => new() { PaymentSessionId = "s-1", State = "processed", TransactionId = "t-1" };

    [Fact]
    public async Task A_get_answered_503_is_retried_and_no_log_line_carries_the_token()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503);
        using var services = Services(server.BaseUrl);

        await Assert.ThrowsAsync<SnipcartException>(() => services.GetRequiredService<ISnipcartClient>().GetPaymentSessionAsync(Token));

        Assert.Equal(4, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Contains(Token, r.PathAndQuery)); // the token did travel in the URL
        var logs = services.GetFakeLogCollector().GetSnapshot();
        // The pipeline did log the retries: the check below looks at real lines, not at silence.
        Assert.Contains(logs, l => l.Category?.StartsWith("Polly", StringComparison.Ordinal) == true);
        Assert.All(logs, l =>
        {
            Assert.DoesNotContain(Token, l.Message);
            Assert.DoesNotContain(Token, l.Exception?.ToString() ?? "");
            Assert.DoesNotContain(Token, string.Join(" ", l.StructuredState?.Select(s => s.Value) ?? []));
            Assert.DoesNotContain("publicToken=", l.Message);
        });
    }

    [Fact]
    public async Task The_payment_confirmation_is_sent_exactly_once_when_it_times_out()
    {
        await using var server = await LoopbackServer.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        using var services = Services(server.BaseUrl, timeout: "00:00:00.200");

        var ex = await Assert.ThrowsAsync<SnipcartException>(() =>
            services.GetRequiredService<ISnipcartClient>().CreatePaymentAsync(PaymentMode.Test, Confirmation));

        // What a timeout was before: a SnipcartException without a status.
        Assert.Null(ex.StatusCode);
        Assert.Contains("in time", ex.Message);
        Assert.Contains(Chain(ex), e => e is TimeoutRejectedException);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task The_payment_confirmation_is_sent_exactly_once_when_snipcart_answers_503()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503, "busy");
        using var services = Services(server.BaseUrl);

        var ex = await Assert.ThrowsAsync<SnipcartException>(() =>
            services.GetRequiredService<ISnipcartClient>().CreatePaymentAsync(PaymentMode.Test, Confirmation));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        var request = Assert.Single(server.Requests);
        Assert.False(request.Headers.ContainsKey("Idempotency-Key"));
    }

    [Fact]
    public async Task A_per_attempt_timeout_on_a_get_is_retried_then_is_a_SnipcartException_without_status()
    {
        await using var server = await LoopbackServer.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        using var services = Services(server.BaseUrl, timeout: "00:00:00.200");

        var ex = await Assert.ThrowsAsync<SnipcartException>(() => services.GetRequiredService<ISnipcartClient>().ValidatePublicTokenAsync(Token));

        Assert.Null(ex.StatusCode);
        Assert.Contains(Chain(ex), e => e is TimeoutRejectedException);
        Assert.Equal(4, server.Requests.Count);
        Assert.DoesNotContain(Token, string.Join("\n", Chain(ex).Select(e => e.Message)));
    }

    [Fact]
    public async Task An_open_circuit_is_a_SnipcartException_without_status_and_nothing_is_sent()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503);
        // The standard breaker needs 100 calls in 30 s; two is enough to see it open here.
        using var services = Services(server.BaseUrl, more: s => s.PostConfigure<HttpStandardResilienceOptions>("ISnipcartClient-standard", o =>
        {
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 0.5;
        }));
        var client = services.GetRequiredService<ISnipcartClient>();

        await Assert.ThrowsAsync<SnipcartException>(() => client.ValidatePublicTokenAsync(Token));
        var sent = server.Requests.Count;
        var ex = await Assert.ThrowsAsync<SnipcartException>(() => client.CreatePaymentAsync(PaymentMode.Test, Confirmation));

        Assert.Null(ex.StatusCode);
        Assert.Contains(Chain(ex), e => e is BrokenCircuitException);
        Assert.Equal(sent, server.Requests.Count);
    }

    [Fact]
    public void The_pipeline_takes_its_timeouts_from_the_Snipcart_settings()
    {
        using var services = Services("http://127.0.0.1:9", timeout: "00:00:20");
        _ = services.GetRequiredService<ISnipcartClient>();

        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<HttpStandardResilienceOptions>>().Get("ISnipcartClient-standard");

        Assert.Equal(TimeSpan.FromSeconds(20), options.AttemptTimeout.Timeout);
        Assert.True(options.TotalRequestTimeout.Timeout >= TimeSpan.FromSeconds(60));
        Assert.Equal(TimeSpan.FromSeconds(40), options.CircuitBreaker.SamplingDuration);
        Assert.Equal(3, options.Retry.MaxRetryAttempts);
    }

    private static IEnumerable<Exception> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
        }
    }
}
