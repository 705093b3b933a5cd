using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;

namespace SnipcartGateway.Hosting;

public static class GatewayWorkerBuilderExtensions
{
    /// <summary>Headers, CORS and problem answers for HTTP-triggered functions only (the timer has no HttpContext).</summary>
    public static IFunctionsWorkerApplicationBuilder UseGatewayHttpMiddleware(this IFunctionsWorkerApplicationBuilder builder) =>
        builder.UseWhen<GatewayHttpMiddleware>(context => IsHttpTriggered.GetOrAdd(context.FunctionDefinition.Id, static (_, definition) =>
            definition.InputBindings.Values.Any(b => b.Type == "httpTrigger"), context.FunctionDefinition));

    // Asked on every invocation; the answer per function never changes (the profile showed the LINQ on each call).
    private static readonly ConcurrentDictionary<string, bool> IsHttpTriggered = new(StringComparer.Ordinal);
}
