using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.Grains.Common;

namespace WgStream.Grains.Analytics;

/// <summary>
/// On every silo, at start and every <see cref="AnalyticsOptions.MaintenanceInterval"/>: creates
/// this month's and next month's sample partitions ahead of the writers, drops the months past
/// <see cref="AnalyticsOptions.RetentionMonths"/> (whole partitions: no row deletes, no vacuum
/// debt) with the platform overview's rows of that age, and finalizes ended broadcasts whose
/// finalization a stopped silo never wrote. Every step is idempotent, so silos running it at the
/// same time only repeat each other.
/// </summary>
public sealed partial class AnalyticsMaintenance(
    AnalyticsStore store,
    BroadcastFinalizer finalizer,
    IOptions<AnalyticsOptions> options,
    TimeProvider clock,
    ILogger<AnalyticsMaintenance> logger) : BackgroundService
{
    private const int FinalizeBatch = 100;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicPass.RunAsync(options.Value.MaintenanceInterval, clock, RunOnceAsync, LogPassFailed, stoppingToken);

    /// <summary>One pass (public for tests).</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await store.EnsurePartitionAsync(now);
        await store.EnsurePartitionAsync(now.AddMonths(1));

        if (options.Value.RetentionMonths > 0)
        {
            var thisMonth = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
            var keepFrom = thisMonth.AddMonths(-options.Value.RetentionMonths);
            foreach (var (name, month) in await store.PartitionsAsync())
            {
                if (month < keepFrom)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await store.DropPartitionAsync(name);
                    LogDropped(name);
                }
            }

            await store.DeletePlatformActivityBeforeAsync(new DateTimeOffset(keepFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        }

        foreach (var ended in await store.UnfinalizedAsync(now - BroadcastFinalizer.EndGrace, FinalizeBatch))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await finalizer.FinalizeAsync(ended);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Analytics: dropped {Partition}, past the retention")]
    private partial void LogDropped(string partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: the maintenance pass failed; it runs again after the interval")]
    private partial void LogPassFailed(Exception exception);
}
