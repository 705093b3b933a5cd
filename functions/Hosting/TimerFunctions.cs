namespace SnipcartGateway.Hosting;

// SKELETON: owned by the foundation work. The custom-handler timer contract: the host POSTs /{Name} with
// {Data, Metadata} and expects {Outputs, Logs, ReturnValue}.
public sealed record TimerInvocation(bool IsPastDue, DateTimeOffset? UtcNow);

public static class TimerFunctions
{
    /// <summary>Maps POST /{name} for a timer trigger. <paramref name="run"/> returns the log lines for the host.</summary>
    public static RouteHandlerBuilder MapTimerFunction(
        this IEndpointRouteBuilder endpoints,
        string name,
        string schedule,
        Func<IServiceProvider, TimerInvocation, CancellationToken, Task<IReadOnlyList<string>>> run) =>
        endpoints.MapPost("/" + name, async (HttpContext context) =>
        {
            var logs = await run(context.RequestServices, new TimerInvocation(false, null), context.RequestAborted);
            return Results.Json(new { Outputs = new { }, Logs = logs, ReturnValue = (string?)null });
        }).WithMetadata(new TimerFunctionMetadata(name, schedule));
}
