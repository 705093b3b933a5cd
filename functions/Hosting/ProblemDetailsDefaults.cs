using System.Diagnostics;

namespace SnipcartGateway.Hosting;

/// <summary>How every error body looks: RFC 9457 problem+json with a trace id to find the log lines.</summary>
internal static class ProblemDetailsDefaults
{
    public static void AddTraceId(ProblemDetailsContext context) =>
        context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);
}
