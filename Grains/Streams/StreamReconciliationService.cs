using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

/// <summary>
/// Every <see cref="StreamOptions.ReconcileInterval"/>, the <see cref="StreamRecovery"/> pass on
/// this silo. The start-up pass alone is not enough in a cluster: a silo that dies while the others
/// run leaves its broadcasts' listings and stream rows behind with no silo starting to look at them.
/// Several silos sweeping the same channels is harmless (each check is idempotent).
/// </summary>
public sealed partial class StreamReconciliationService(
    IServiceProvider services,
    IOptions<StreamOptions> options,
    TimeProvider clock,
    ILogger<StreamReconciliationService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.ReconcileInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // The first pass waits an interval: the start-up task has just run one, and grain calls
        // need the silo up.
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await StreamRecovery.ReconcileAsync(services, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The broadcast reconciliation sweep failed; it runs again after the interval")]
    private partial void LogSweepFailed(Exception exception);
}
