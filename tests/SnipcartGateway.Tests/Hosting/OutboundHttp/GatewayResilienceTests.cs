using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SnipcartGateway.Hosting.OutboundHttp;
using SnipcartGateway.Tests.Sandbox;

namespace SnipcartGateway.Tests.Hosting.OutboundHttp;

/// <summary>The shared outbound pipeline over real loopback HTTP: what is retried, what is sent once, what times out.</summary>
public sealed class GatewayResilienceTests
{
    private const string Client = "provider";

    private static ServiceProvider Services(string baseUrl, TimeSpan? attemptTimeout = null, int retries = 2, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddHttpClient(Client, http => http.BaseAddress = new Uri(baseUrl))
            .AddGatewayResilience(_ => new GatewayResilienceSettings(attemptTimeout ?? TimeSpan.FromSeconds(5))
            {
                Retries = retries,
                RetryDelay = TimeSpan.Zero, // no slow tests
            });
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    private static HttpClient Http(ServiceProvider services) => services.GetRequiredService<IHttpClientFactory>().CreateClient(Client);

    [Fact]
    public async Task A_get_answered_503_is_retried_then_the_last_answer_is_returned()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503);
        using var services = Services(server.BaseUrl);

        using var response = await Http(services).GetAsync("/v1/payments/p-1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_get_succeeds_after_a_transient_503()
    {
        var calls = 0;
        await using var server = await LoopbackServer.StartAsync(context =>
        {
            context.Response.StatusCode = Interlocked.Increment(ref calls) == 1 ? 503 : 200;
            return Task.CompletedTask;
        });
        using var services = Services(server.BaseUrl);

        using var response = await Http(services).GetAsync("/v1/payments/p-1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task A_write_without_an_idempotency_key_is_sent_exactly_once_despite_503(string method)
    {
        await using var server = await LoopbackServer.AnsweringAsync(503);
        using var services = Services(server.BaseUrl);

        using var response = await Http(services).SendAsync(new HttpRequestMessage(new HttpMethod(method), "/v1/payments") { Content = new StringContent("{}") });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_write_with_an_idempotency_key_is_retried_with_the_same_key_and_body()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503);
        using var services = Services(server.BaseUrl);
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/payments") { Content = new StringContent("""{"amount":10.50}""") };
        request.Headers.Add(OutboundRequest.IdempotencyKeyHeader, "pay-123");

        using var response = await Http(services).SendAsync(request);

        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("pay-123", r.Headers[OutboundRequest.IdempotencyKeyHeader]);
            Assert.Equal("""{"amount":10.50}""", r.Body);
        });
    }

    [Fact]
    public async Task A_write_marked_idempotent_is_retried()
    {
        await using var server = await LoopbackServer.AnsweringAsync(502);
        using var services = Services(server.BaseUrl);

        using var response = await Http(services).SendAsync(OutboundRequest.MarkIdempotent(new HttpRequestMessage(HttpMethod.Put, "/v1/refunds/r-1")));

        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_4xx_is_not_retried()
    {
        await using var server = await LoopbackServer.AnsweringAsync(404);
        using var services = Services(server.BaseUrl);

        using var response = await Http(services).GetAsync("/v1/payments/p-1");

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Zero_retries_sends_a_get_once()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503);
        using var services = Services(server.BaseUrl, retries: 0);

        using var response = await Http(services).GetAsync("/v1/payments/p-1");

        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_post_that_times_out_is_sent_once_and_surfaces_as_HttpClients_own_timeout()
    {
        await using var server = await LoopbackServer.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        using var services = Services(server.BaseUrl, attemptTimeout: TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAsync<TaskCanceledException>(() => Http(services).PostAsync("/v1/payments", new StringContent("{}")));

        // What HttpClient.Timeout throws: providers' "did not answer in time" handling keeps working.
        var timeout = Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.IsType<TimeoutRejectedException>(timeout.InnerException);
        Assert.Contains("/v1/payments", ex.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_get_that_times_out_is_retried_per_attempt()
    {
        await using var server = await LoopbackServer.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        using var services = Services(server.BaseUrl, attemptTimeout: TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAsync<TaskCanceledException>(() => Http(services).GetAsync("/v1/payments/p-1"));

        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        await using var server = await LoopbackServer.StartAsync(context => Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted));
        using var services = Services(server.BaseUrl);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Http(services).GetAsync("/v1/payments/p-1", cancel.Token));

        Assert.IsNotType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task An_open_circuit_stops_sending_and_surfaces_as_HttpRequestException()
    {
        await using var server = await LoopbackServer.AnsweringAsync(503);
        // The standard breaker needs 100 calls in 30 s; two is enough to see it open here.
        using var services = Services(server.BaseUrl, more: s => s.PostConfigure<HttpStandardResilienceOptions>(Client + "-standard", o =>
        {
            o.CircuitBreaker.MinimumThroughput = 2;
            o.CircuitBreaker.FailureRatio = 0.5;
        }));
        var http = Http(services);

        // The breaker opens after two failed attempts: the third attempt of this GET is never sent.
        var first = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/v1/payments/p-1"));
        var second = await Assert.ThrowsAsync<HttpRequestException>(() => http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/payments")));

        Assert.IsType<BrokenCircuitException>(first.InnerException);
        Assert.IsType<BrokenCircuitException>(second.InnerException);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public void The_pipeline_gets_the_clients_timeouts_and_HttpClient_Timeout_is_off()
    {
        using var services = Services("http://127.0.0.1:9", attemptTimeout: TimeSpan.FromSeconds(40));

        var options = services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(Client + "-standard");

        Assert.Equal(TimeSpan.FromSeconds(40), options.AttemptTimeout.Timeout);
        // Three attempts that all time out, plus backoff, fit inside the total.
        Assert.True(options.TotalRequestTimeout.Timeout >= 3 * options.AttemptTimeout.Timeout);
        Assert.True(options.CircuitBreaker.SamplingDuration >= 2 * options.AttemptTimeout.Timeout);
        Assert.Equal(2, options.Retry.MaxRetryAttempts);
        Assert.Equal(Timeout.InfiniteTimeSpan, Http(services).Timeout);
    }

    [Fact]
    public void Total_timeout_covers_every_attempt_and_the_backoff()
    {
        var settings = new GatewayResilienceSettings(TimeSpan.FromSeconds(15)) { Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(200) };

        // 3 × 15 s + (200 ms + 400 ms) nominal backoff, with room for jitter.
        Assert.True(settings.TotalTimeout >= TimeSpan.FromSeconds(45.6));
        Assert.Equal(TimeSpan.FromSeconds(30), settings.CircuitSamplingDuration);
        Assert.Equal(TimeSpan.FromMinutes(4), new GatewayResilienceSettings(TimeSpan.FromMinutes(2)).CircuitSamplingDuration);
    }
}
