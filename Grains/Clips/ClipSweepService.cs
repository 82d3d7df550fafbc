using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Clips;
using WgStream.Grains.Common;
using WgStream.Grains.Notifications;

namespace WgStream.Grains.Clips;

/// <summary>
/// Every <see cref="ClipOptions.SweepInterval"/> on each silo: removes failed clips older than
/// <see cref="ClipOptions.KeepFailedFor"/> (with whatever files a failed clean-up left), and asks
/// each clip still processing long after its cut must have ended, so its grain fails it (its silo
/// stopped mid-cut). Both go through the clip's grain; silos sweeping at once repeat idempotent calls.
/// </summary>
public sealed partial class ClipSweepService(
    ClipStore store,
    IGrainFactory grains,
    IOptions<ClipOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<ClipSweepService> logger) : BackgroundService
{
    /// <summary>Per pass and kind: a backlog is worked off over the next passes.</summary>
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        await PeriodicPass.RunAsync(options.Value.SweepInterval, clock, _ => SweepAsync(), LogSweepFailed, stoppingToken);
    }

    /// <summary>One pass; returns how many failed clips were removed and how many stuck ones were looked at.</summary>
    public async Task<(int Removed, int Checked)> SweepAsync()
    {
        var now = clock.GetUtcNow();
        var failed = await store.UnfinishedBeforeAsync(ClipStatus.Failed, now - options.Value.KeepFailedFor, Batch);
        foreach (var id in failed)
        {
            await grains.GetGrain<IClipGrain>(id).RemoveAsync();
        }

        var stuck = await store.UnfinishedBeforeAsync(ClipStatus.Processing, now - options.Value.ProcessingTimeout - TimeSpan.FromMinutes(1), Batch);
        foreach (var id in stuck)
        {
            await grains.GetGrain<IClipGrain>(id).GetAsync();
        }

        if (failed.Count + stuck.Count > 0)
        {
            LogSwept(failed.Count, stuck.Count);
        }

        return (failed.Count, stuck.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Clips: {Removed} failed clips removed, {Checked} interrupted ones failed")]
    private partial void LogSwept(int removed, int @checked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The clip sweep failed; it runs again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
