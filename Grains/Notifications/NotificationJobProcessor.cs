using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Notifications;

/// <summary>
/// The silo's background expansion of published events (see <see cref="NotificationJobStore"/>):
/// workers take steps while there is work, then wait for a local publish or the poll interval.
/// After each committed step it wakes the outbox dispatcher and pushes new in-app notifications on
/// their users' <c>notifications</c> streams.
/// </summary>
public sealed partial class NotificationJobProcessor(
    NotificationJobStore store,
    NotificationSignal signal,
    IServiceProvider services,
    IOptions<NotificationOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<NotificationJobProcessor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ProcessingEnabled)
        {
            return;
        }

        await lifetime.WaitForStartAsync(stoppingToken);
        var streams = services.GetRequiredKeyedService<IStreamProvider>(StreamNames.Provider);
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Value.JobConcurrency)).Select(_ => WorkAsync(streams, stoppingToken)));
    }

    private async Task WorkAsync(IStreamProvider streams, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            JobStep? step;
            try
            {
                step = await store.StepAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogWorkerFailed(e);
                step = null;
            }

            if (step is null)
            {
                try
                {
                    await signal.Jobs.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            if (step.Error is { } error)
            {
                LogJobFailed(error, step.JobId, step.Done);
                continue;
            }

            if (step.Outbox > 0)
            {
                signal.Outbox.Set();
            }

            foreach (var (userId, item) in step.Push)
            {
                try
                {
                    await streams.GetStream<NotificationItem>(StreamId.Create(NotificationStreams.Namespace, userId)).OnNextAsync(item);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The row is committed and listed; a client that missed the push sees it on its next read.
                    LogPushFailed(e, userId);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification job worker failed; it carries on")]
    private partial void LogWorkerFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expanding notification job {JobId} failed (given up: {GaveUp})")]
    private partial void LogJobFailed(Exception exception, long jobId, bool gaveUp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push a notification to user {UserId}")]
    private partial void LogPushFailed(Exception exception, Guid userId);
}
