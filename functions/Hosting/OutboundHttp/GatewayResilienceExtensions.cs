using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// The resilience every outbound HTTP client of the gateway uses (Snipcart and each payment provider):
/// the standard pipeline of Microsoft.Extensions.Http.Resilience (rate limiter → total timeout → retry →
/// circuit breaker → attempt timeout) with the timeouts of the client and the retry decision of
/// <see cref="RetryPolicy"/>; the breaker opens on outages, not on partial faults (see
/// <see cref="GatewayResilienceSettings.CircuitFailureRatio"/>), and a handler outside it records each call's
/// outcome for telemetry and the providers' health.
/// </summary>
public static class GatewayResilienceExtensions
{
    /// <summary>A provider client with an attempt timeout and the default retries.</summary>
    public static IHttpClientBuilder AddGatewayResilience(this IHttpClientBuilder builder, TimeSpan attemptTimeout) =>
        builder.AddGatewayResilience(_ => new GatewayResilienceSettings(attemptTimeout));

    /// <summary>
    /// Adds the pipeline; <paramref name="settings"/> is read once, when the client's pipeline is first built
    /// (so it can read validated options). The pipeline is named after the client (<c>{name}-standard</c>).
    /// </summary>
    public static IHttpClientBuilder AddGatewayResilience(this IHttpClientBuilder builder, Func<IServiceProvider, GatewayResilienceSettings> settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);

        // HttpClient.Timeout would cut across the pipeline (it covers all attempts and ignores the backoff):
        // the pipeline's total timeout is the cap instead.
        builder.ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan);
        // Outermost: the call as its caller sees it (latency, errors, health), across the pipeline's retries.
        var upstream = UpstreamNames.FromClientName(builder.Name);
        builder.Services.TryAddSingleton<UpstreamMetrics>();
        builder.Services.TryAddSingleton<UpstreamHealth>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddHttpMessageHandler(services => new UpstreamTelemetryHandler(
            upstream,
            services.GetRequiredService<UpstreamMetrics>(),
            services.GetRequiredService<UpstreamHealth>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UpstreamTelemetryHandler).FullName!)));
        // Added before the pipeline, so it is outside it and sees what the pipeline throws.
        builder.AddHttpMessageHandler(() => new ResilienceRejectionHandler());
        builder.AddStandardResilienceHandler().Configure((options, services) => Apply(options, settings(services)));
        return builder;
    }

    private static void Apply(HttpStandardResilienceOptions options, GatewayResilienceSettings settings)
    {
        options.AttemptTimeout.Timeout = settings.LongestAttempt;
        options.AttemptTimeout.TimeoutGenerator = args =>
            ValueTask.FromResult(RetryPolicy.AttemptTimeout(args.Context.GetRequestMessage(), settings));
        options.TotalRequestTimeout.Timeout = settings.TotalTimeout;
        options.CircuitBreaker.SamplingDuration = settings.CircuitSamplingDuration;
        options.CircuitBreaker.FailureRatio = settings.CircuitFailureRatio;
        options.CircuitBreaker.MinimumThroughput = settings.CircuitMinimumThroughput;

        // Polly needs at least one attempt configured; Retries = 0 is expressed by never handling.
        options.Retry.MaxRetryAttempts = Math.Max(1, settings.Retries);
        options.Retry.Delay = settings.RetryDelay;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(
            settings.Retries > 0 && RetryPolicy.ShouldRetry(args.Context.GetRequestMessage(), args.Outcome));
    }
}
