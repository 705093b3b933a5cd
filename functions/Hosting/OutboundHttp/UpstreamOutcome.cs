using System.Net;
using Polly.CircuitBreaker;

namespace SnipcartGateway.Hosting.OutboundHttp;

/// <summary>How one call to an upstream ended, as metrics and the providers' health count it.</summary>
public enum UpstreamOutcomeKind
{
    /// <summary>An answer that is the upstream's verdict: 2xx, 3xx, or a 4xx other than 408/429.</summary>
    Answered,
    /// <summary>5xx, 408 or 429: the upstream is not well.</summary>
    ServerError,
    Timeout,
    /// <summary>Refused, reset, unreachable.</summary>
    NetworkError,
    /// <summary>Not sent: the circuit breaker is open (recent calls failed).</summary>
    CircuitOpen,
    /// <summary>Our caller gave up (the shopper left); says nothing about the upstream.</summary>
    Cancelled,
}

public static class UpstreamOutcome
{
    /// <summary>Classifies what the pipeline (with <see cref="ResilienceRejectionHandler"/> inside) returned or threw.</summary>
    public static UpstreamOutcomeKind Classify(HttpStatusCode? status, Exception? exception, bool callerCancelled)
    {
        if (exception is null)
        {
            return status is { } code && ((int)code >= 500 || code is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                ? UpstreamOutcomeKind.ServerError
                : UpstreamOutcomeKind.Answered;
        }
        if (callerCancelled)
        {
            return UpstreamOutcomeKind.Cancelled;
        }
        return exception switch
        {
            HttpRequestException { InnerException: BrokenCircuitException or IsolatedCircuitException } => UpstreamOutcomeKind.CircuitOpen,
            TaskCanceledException { InnerException: TimeoutException } => UpstreamOutcomeKind.Timeout,
            OperationCanceledException => UpstreamOutcomeKind.Timeout,
            _ => UpstreamOutcomeKind.NetworkError,
        };
    }

    /// <summary>The metric attribute value (<c>error.type</c>), null for an answer.</summary>
    public static string? ErrorType(UpstreamOutcomeKind kind) => kind switch
    {
        UpstreamOutcomeKind.ServerError => "server_error",
        UpstreamOutcomeKind.Timeout => "timeout",
        UpstreamOutcomeKind.NetworkError => "network_error",
        UpstreamOutcomeKind.CircuitOpen => "circuit_open",
        UpstreamOutcomeKind.Cancelled => "cancelled",
        _ => null,
    };

    /// <summary>Whether the outcome says the upstream is failing (a caller leaving does not; a verdict does not).</summary>
    public static bool IsFailure(UpstreamOutcomeKind kind) =>
        kind is UpstreamOutcomeKind.ServerError or UpstreamOutcomeKind.Timeout or UpstreamOutcomeKind.NetworkError or UpstreamOutcomeKind.CircuitOpen;
}
