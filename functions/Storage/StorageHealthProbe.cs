using Azure;
using Azure.Data.Tables;

namespace SnipcartGateway.Storage;

/// <summary>Whether Table Storage answered; when not, a short error code (never the exception message, which
/// can hold account names or URLs).</summary>
public sealed record StorageHealth(bool IsUp, string? ErrorCode)
{
    public static StorageHealth Up { get; } = new(true, null);

    public static StorageHealth Down(string errorCode) => new(false, errorCode);
}

/// <summary>
/// Asks the table service for one page of at most one table: the cheapest call that proves the endpoint answers
/// and accepts our credentials (a "Storage Table Data Contributor" identity may list tables).
/// </summary>
public sealed class StorageHealthProbe(TableServiceClient service)
{
    /// <summary>Health checks must answer quickly even when storage hangs (or the SDK is still retrying).</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <exception cref="OperationCanceledException">Only when <paramref name="requestAborted"/> is cancelled.</exception>
    public async Task<StorageHealth> CheckAsync(CancellationToken requestAborted = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(Timeout);
        try
        {
            await foreach (var _ in service.QueryAsync((string?)null, maxPerPage: 1, cancellationToken: timeout.Token).AsPages(pageSizeHint: 1))
            {
                break;
            }
            return StorageHealth.Up;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return StorageHealth.Down("Timeout");
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or HttpRequestException or IOException or InvalidOperationException)
        {
            return StorageHealth.Down(Code(e));
        }
    }

    private static string Code(Exception e) => e switch
    {
        // Azure.Core reports a transport failure as status 0, and the last of several retried ones as an AggregateException.
        RequestFailedException { Status: 0 } => "Unreachable",
        RequestFailedException r => string.IsNullOrEmpty(r.ErrorCode) ? $"Http{r.Status}" : r.ErrorCode,
        AggregateException { InnerExceptions: [var first, ..] } => Code(first),
        _ => e.GetType().Name,
    };
}
