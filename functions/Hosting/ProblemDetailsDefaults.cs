using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace SnipcartGateway.Hosting;

/// <summary>How every error body looks: RFC 9457 problem+json with a trace id to find the log lines.</summary>
internal static class ProblemDetailsDefaults
{
    public static void AddTraceId(ProblemDetailsContext context) =>
        context.ProblemDetails.Extensions.TryAdd("traceId", Activity.Current?.Id ?? context.HttpContext.TraceIdentifier);

    /// <summary>Turns an empty error response (404 for an unknown path, 405 for a wrong method...) into problem+json.</summary>
    public static Task WriteStatusCodeProblemAsync(StatusCodeContext context) =>
        // Results.Problem always writes application/problem+json, whatever the Accept header says: callers
        // are programs (Snipcart, the checkout page), not browsers that want an HTML page.
        Results.Problem(statusCode: context.HttpContext.Response.StatusCode).ExecuteAsync(context.HttpContext);
}
