using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// The resilience every outbound HTTP client of the gateway uses (Snipcart and each payment provider):
/// the standard pipeline of Microsoft.Extensions.Http.Resilience (rate limiter → total timeout → retry →
/// circuit breaker → attempt timeout) with the timeouts of the client and the retry decision of
/// <see cref="RetryPolicy"/>.
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
        // Added before the pipeline, so it is outside it and sees what the pipeline throws.
        builder.AddHttpMessageHandler(() => new ResilienceRejectionHandler());
        builder.AddStandardResilienceHandler().Configure((options, services) => Apply(options, settings(services)));
        return builder;
    }

    private static void Apply(HttpStandardResilienceOptions options, GatewayResilienceSettings settings)
    {
        options.AttemptTimeout.Timeout = settings.AttemptTimeout;
        options.TotalRequestTimeout.Timeout = settings.TotalTimeout;
        options.CircuitBreaker.SamplingDuration = settings.CircuitSamplingDuration;

        // Polly needs at least one attempt configured; Retries = 0 is expressed by never handling.
        options.Retry.MaxRetryAttempts = Math.Max(1, settings.Retries);
        options.Retry.Delay = settings.RetryDelay;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(
            settings.Retries > 0
            && args.Context.GetRequestMessage() is { } request
            && RetryPolicy.IsSafeToRetry(request)
            && HttpClientResiliencePredicates.IsTransient(args.Outcome));
    }
}
