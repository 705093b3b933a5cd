using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;

namespace SnipcartGateway.Hosting;

public static class GatewayWorkerBuilderExtensions
{
    /// <summary>Headers, CORS and problem answers for HTTP-triggered functions only (the timer has no HttpContext).</summary>
    public static IFunctionsWorkerApplicationBuilder UseGatewayHttpMiddleware(this IFunctionsWorkerApplicationBuilder builder) =>
        builder.UseWhen<GatewayHttpMiddleware>(context => context.FunctionDefinition.InputBindings.Values.Any(b => b.Type == "httpTrigger"));
}
