using Azure;
using Microsoft.Azure.Functions.Worker;
using SnipcartGateway.Hosting;
using SnipcartGateway.Storage.Tables;

namespace SnipcartGateway.Api;

/// <summary>
/// GET /api/health: 200 when the gateway can reach Table Storage, 503 otherwise, so monitors and the local
/// run script see a broken storage connection, not just a running process.
/// </summary>
public sealed partial class HealthApi(IServiceProvider services, ILoggerFactory loggers)
{
    public const string FunctionName = "Health";

    /// <summary>Health checks must answer quickly even when storage hangs.</summary>
    public static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(5);

    [Function(FunctionName)]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        CheckAsync(services, loggers, cancellationToken);

    internal static async Task<IResult> CheckAsync(IServiceProvider services, ILoggerFactory loggers, CancellationToken requestAborted)
    {
        var error = await PingStorageAsync(services, requestAborted);
        if (error is null)
        {
            return Results.Ok(new HealthReport("healthy", GatewayInfo.Version, "up", null));
        }

        LogStorageDown(loggers.CreateLogger(typeof(HealthApi).FullName!), error);
        return Results.Json(new HealthReport("unhealthy", GatewayInfo.Version, "down", error), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>Null when storage answered; otherwise a short error code. Never the exception message: it can hold account names or URLs.</summary>
    private static async Task<string?> PingStorageAsync(IServiceProvider services, CancellationToken requestAborted)
    {
        // Resolved here rather than injected so a missing registration is reported as unhealthy, not a 500.
        var tables = services.GetService<ITableServiceClient>();
        if (tables is null)
        {
            return "NotConfigured";
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(StorageTimeout);
        try
        {
            await tables.PingAsync(timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return "Timeout";
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException or IOException or InvalidOperationException)
        {
            return ErrorCode(e);
        }
    }

    private static string ErrorCode(Exception e) => e switch
    {
        // Azure.Core reports a transport failure (nothing listening, DNS) as status 0, and throws the last of
        // several retried failures as an AggregateException of them.
        RequestFailedException { Status: 0 } => "Unreachable",
        RequestFailedException r => string.IsNullOrEmpty(r.ErrorCode) ? $"Http{r.Status}" : r.ErrorCode,
        AggregateException { InnerExceptions: [var first, ..] } => ErrorCode(first),
        _ => e.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health check: storage is down ({Error})")]
    private static partial void LogStorageDown(ILogger logger, string error);

    private sealed record HealthReport(string Status, string Version, string Storage, string? Error);
}
