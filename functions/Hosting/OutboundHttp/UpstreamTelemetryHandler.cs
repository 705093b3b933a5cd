using System.Diagnostics;
using SnipcartGateway.Hosting.Telemetry;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>
/// The outermost handler of every outbound client: one span per call as the caller saw it (the pipeline's retries,
/// each an HttpClient span, are its children), the upstream's latency and errors as metrics, and the outcome for
/// <see cref="UpstreamHealth"/>. A call the circuit breaker refused is logged as such, with the path only (queries
/// carry tokens and keys).
/// </summary>
internal sealed partial class UpstreamTelemetryHandler(string upstream, UpstreamMetrics metrics, UpstreamHealth health, ILogger logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var activity = GatewayTelemetry.Source.StartActivity($"{upstream} {request.Method.Method}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GatewayTelemetry.UpstreamAttribute, upstream);
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("url.path", request.RequestUri?.AbsolutePath);
        }
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage? response = null;
        Exception? failure = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
            return response;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            var outcome = UpstreamOutcome.Classify(response?.StatusCode, failure, cancellationToken.IsCancellationRequested);
            metrics.RecordCall(upstream, outcome, Stopwatch.GetElapsedTime(started));
            health.Record(upstream, outcome);
            if (outcome == UpstreamOutcomeKind.CircuitOpen)
            {
                LogCircuitOpen(logger, upstream, request.Method.Method, request.RequestUri?.AbsolutePath);
            }
            if (activity is not null && UpstreamOutcome.ErrorType(outcome) is { } error)
            {
                activity.SetTag("error.type", error);
                activity.SetStatus(ActivityStatusCode.Error, error);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Upstream} {Method} {Path} was not sent: the circuit breaker is open (recent calls failed)")]
    private static partial void LogCircuitOpen(ILogger logger, string upstream, string method, string? path);
}
