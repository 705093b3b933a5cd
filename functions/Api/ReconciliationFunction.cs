using SnipcartGateway.Hosting;
using SnipcartGateway.Payments;

namespace SnipcartGateway.Api;

/// <summary>The timer that finishes payments nobody finished. Every five minutes.</summary>
public static class ReconciliationFunction
{
    public const string Name = "Reconcile";
    public const string Schedule = "0 */5 * * * *";

    public static IEndpointRouteBuilder MapReconciliationFunction(this IEndpointRouteBuilder app)
    {
        app.MapTimerFunction(Name, Schedule, async (services, _, cancellationToken) =>
        {
            var report = await services.GetRequiredService<ReconciliationService>().RunAsync(cancellationToken);
            return report.ToLogLines();
        });
        return app;
    }
}
