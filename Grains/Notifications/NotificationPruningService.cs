using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Notifications;

/// <summary>
/// Runs <see cref="NotificationRetentionStore.PruneAsync"/> once the silo has started and then every
/// <see cref="NotificationOptions.PruneInterval"/>. Every silo runs this loop; a PostgreSQL advisory
/// lock lets one of them prune at a time (the others find it taken and wait for their next turn),
/// so a silo that dies mid-pass leaves nothing to clean up: its lock goes with its connection.
/// </summary>
public sealed partial class NotificationPruningService(
    NotificationRetentionStore retention,
    NpgsqlDataSource dataSource,
    IOptions<NotificationOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<NotificationPruningService> logger) : BackgroundService
{
    // Any constant; the same on every silo.
    private const long PruneLockKey = 0x5767_4E6F_7450_726E;

    private static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(0.1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PruningEnabled)
        {
            return;
        }

        await lifetime.WaitForStartAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogPruneFailed(e);
            }

            try
            {
                var interval = options.Value.PruneInterval;
                await Task.Delay(interval > MinInterval ? interval : MinInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        await using var pruneLock = await AdvisoryLock.TryTakeAsync(dataSource, PruneLockKey, stoppingToken);
        if (pruneLock is null)
        {
            return;
        }

        var result = await retention.PruneAsync(stoppingToken);
        if (result.Total > 0)
        {
            LogPruned(result.OutboxRows, result.Notifications, result.Jobs, result.Batches);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Outbox} outbox rows, {Notifications} notifications and {Jobs} notification jobs in {Batches} batches")]
    private partial void LogPruned(int outbox, int notifications, int jobs, int batches);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning notifications failed; the next pass tries again")]
    private partial void LogPruneFailed(Exception exception);
}
