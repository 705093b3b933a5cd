using Microsoft.Extensions.Options;
using SnipcartGateway.Storage.Support;

namespace SnipcartGateway.Support;

/// <summary>The timer's retention step: one bounded batch per run (see <see cref="RetentionSweeper"/>).</summary>
public sealed partial class RetentionService(RetentionSweeper sweeper, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionService> logger)
{
    public async Task<RetentionReport> RunAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var report = await sweeper.SweepAsync(time.GetUtcNow().AddDays(-settings.Days), settings.BatchSize, cancellationToken);
        LogReport(logger, report.ToLogLine());
        return report;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Report}")]
    private static partial void LogReport(ILogger logger, string report);
}
