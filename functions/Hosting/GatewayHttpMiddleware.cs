using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using SnipcartGateway.Api;
using SnipcartGateway.Hosting.Telemetry;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Hosting;

/// <summary>
/// What every HTTP function shares, as worker middleware (the worker's ASP.NET Core pipeline is fixed: no
/// UseExceptionHandler, no UseCors): security headers on every answer, CORS for a checkout page on another origin,
/// and the last line of defence for exceptions. A refusal (<see cref="GatewayProblemException"/>) becomes its problem;
/// unreadable input a 400; anything else a 500 whose body says nothing about the cause, because exception messages
/// can carry URLs, keys or customer data. The worker's own proxying middleware runs first and writes whatever
/// IResult this one leaves as the invocation's result.
/// </summary>
internal sealed partial class GatewayHttpMiddleware(CorsPolicy cors, ILogger<GatewayHttpMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }

        SecurityHeaders.ApiDefaults(http.Response);
        GatewayTelemetry.TagPaymentFromRoute(context);
        if (cors.Apply(http) || HttpMethods.IsOptions(http.Request.Method))
        {
            // A preflight (or a stray OPTIONS) is answered here; no function body runs for it.
            context.GetInvocationResult().Value = Results.NoContent();
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            context.GetInvocationResult().Value = ToProblem(exception, http, logger);
        }
    }

    internal static IResult ToProblem(Exception exception, HttpContext http, ILogger logger)
    {
        var root = exception is AggregateException { InnerException: { } inner } ? inner : exception;
        switch (root)
        {
            case GatewayProblemException problem:
                return ProblemResults.From(problem);
            // Only what reading the request can throw: a corrupt stored record (InvalidDataException) is our fault, a 500.
            case BadHttpRequestException or JsonException or DecoderFallbackException:
                LogBadInput(logger, http.Request.Method, http.Request.Path, root.GetType().Name);
                return ProblemResults.Of(StatusCodes.Status400BadRequest, "invalid_request", "The request could not be read.",
                    "Check the body and parameters against the API description.");
            case OperationCanceledException when http.RequestAborted.IsCancellationRequested:
                // The caller left; nobody reads this answer.
                return Results.StatusCode(499);
            default:
                LogUnhandled(logger, root, http.Request.Method, http.Request.Path);
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "An unexpected error occurred.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected {Method} {Path} as bad input ({ExceptionType})")]
    private static partial void LogBadInput(ILogger logger, string method, PathString path, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
