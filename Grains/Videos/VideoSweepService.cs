using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Common;
using WgStream.Grains.Notifications;

namespace WgStream.Grains.Videos;

/// <summary>
/// Every <see cref="VideoOptions.SweepInterval"/> on each silo: removes the videos past their
/// retention, and completes the recordings whose recorder went away (its Api node stopped before
/// the broadcast ended), so that what was uploaded becomes watchable. Both go through the video's
/// grain, so two silos sweeping at once only repeat idempotent calls.
/// </summary>
public sealed partial class VideoSweepService(
    VideoStore store,
    IGrainFactory grains,
    IOptions<VideoOptions> options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<VideoSweepService> logger) : BackgroundService
{
    /// <summary>Per pass and kind: a backlog is worked off over the next passes rather than all at once.</summary>
    private const int Batch = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lifetime.WaitForStartAsync(stoppingToken);
        await PeriodicPass.RunAsync(options.Value.SweepInterval, clock, _ => SweepAsync(), LogSweepFailed, stoppingToken);
    }

    /// <summary>One pass; returns how many videos were expired and completed.</summary>
    public async Task<(int Expired, int Completed)> SweepAsync()
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var expired = settings.RetentionDays > 0 ? await store.StartedBeforeAsync(now.AddDays(-settings.RetentionDays), Batch) : [];
        foreach (var id in expired)
        {
            await grains.GetGrain<IVideoGrain>(id).ExpireAsync();
        }

        var abandoned = await store.AbandonedAsync(now - settings.AbandonedAfter, Batch);
        foreach (var id in abandoned)
        {
            await grains.GetGrain<IVideoGrain>(id).CompleteAsync(new RecordingEnd(null));
        }

        if (expired.Count + abandoned.Count > 0)
        {
            LogSwept(expired.Count, abandoned.Count);
        }

        return (expired.Count, abandoned.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Videos: {Expired} expired, {Completed} abandoned recordings completed")]
    private partial void LogSwept(int expired, int completed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The video sweep failed; it runs again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
