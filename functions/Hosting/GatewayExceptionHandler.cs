using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace SnipcartGateway.Hosting;

/// <summary>
/// Last line of defence for exceptions nobody handled. Bad input (unreadable body, JSON that does not bind)
/// is the caller's fault and becomes a 400; anything else is a 500 whose body says nothing about the cause,
/// because exception messages can carry URLs, keys or customer data. The details go to the log only.
/// </summary>
internal sealed partial class GatewayExceptionHandler(ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        IResult problem;
        if (IsBadInput(exception, out var status))
        {
            LogBadInput(logger, httpContext.Request.Method, httpContext.Request.Path, exception.GetType().Name);
            problem = Results.Problem(
                statusCode: status,
                title: "The request could not be read.",
                detail: "Check the body and parameters against the API description.");
        }
        else
        {
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
            problem = Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "An unexpected error occurred.");
        }

        await problem.ExecuteAsync(httpContext);
        return true;
    }

    private static bool IsBadInput(Exception exception, out int status)
    {
        switch (exception)
        {
            // Minimal APIs throw this for unreadable bodies and failed parameter binding (when
            // ThrowOnBadRequest is on, as in Development); its StatusCode is 400 or e.g. 413.
            case BadHttpRequestException bad:
                status = bad.StatusCode;
                return true;
            case JsonException:
                status = StatusCodes.Status400BadRequest;
                return true;
            default:
                status = StatusCodes.Status500InternalServerError;
                return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected {Method} {Path} as bad input ({ExceptionType})")]
    private static partial void LogBadInput(ILogger logger, string method, PathString path, string exceptionType);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path);
}
