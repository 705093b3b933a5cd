namespace SnipcartGateway.Hosting;

/// <summary>One timer firing, as the Functions host described it.</summary>
public sealed record TimerInvocation(bool IsPastDue, DateTimeOffset? UtcNow);

/// <summary>
/// The custom-handler timer contract: the host POSTs /{Name} with {Data, Metadata} and expects 2xx with
/// {Outputs, Logs, ReturnValue}. A non-2xx answer makes the host record the invocation as failed.
/// </summary>
public static partial class TimerFunctions
{
    /// <summary>Maps POST /{name} for a timer trigger. <paramref name="run"/> returns the log lines for the host.</summary>
    public static RouteHandlerBuilder MapTimerFunction(
        this IEndpointRouteBuilder endpoints,
        string name,
        string schedule,
        Func<IServiceProvider, TimerInvocation, CancellationToken, Task<IReadOnlyList<string>>> run) =>
        endpoints.MapPost("/" + name, async (HttpContext context, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("SnipcartGateway.Timers." + name);
            TimerInvocation invocation;
            try
            {
                invocation = await TimerPayloadReader.ReadAsync(context.Request.Body, context.RequestAborted);
            }
            catch (FormatException e)
            {
                LogBadPayload(logger, name, e.Message);
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The timer payload could not be read.");
            }

            try
            {
                var logs = await run(context.RequestServices, invocation, context.RequestAborted);
                return Results.Json(new TimerInvocationResult(new Dictionary<string, object?>(), logs, null));
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The host only sees the status code: log the cause here, keep it out of the body.
                LogFailed(logger, e, name);
                return Results.Problem(statusCode: StatusCodes.Status500InternalServerError, title: $"Timer function {name} failed.");
            }
        })
        .WithMetadata(new TimerFunctionMetadata(name, schedule));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Name}: unreadable payload ({Reason})")]
    private static partial void LogBadPayload(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {Name} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string name);
}

/// <summary>The body the host expects back; property names are the host's (PascalCase).</summary>
internal sealed record TimerInvocationResult(
    [property: System.Text.Json.Serialization.JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: System.Text.Json.Serialization.JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: System.Text.Json.Serialization.JsonPropertyName("ReturnValue")] string? ReturnValue);
