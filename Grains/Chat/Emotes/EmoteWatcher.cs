using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// Keeps this silo's <see cref="ChannelEmoteCache"/> in step with the <c>emotes</c> stream: once the
/// silo is active it subscribes (a silo start-up task), and until that works it tries again every
/// <see cref="EmoteOptions.CacheTime"/>, the cache time bounding what is missed meanwhile.
/// </summary>
public sealed partial class EmoteWatcher(
    IClusterClient client,
    ChannelEmoteCache cache,
    IOptions<EmoteOptions> options,
    TimeProvider clock,
    ILogger<EmoteWatcher> logger) : BackgroundService
{
    private readonly TaskCompletionSource active = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamSubscriptionHandle<EmotesChanged>? subscription;

    /// <summary>The silo start-up task: streams can be used from now on.</summary>
    public async Task SiloActiveAsync(CancellationToken cancellationToken)
    {
        await TrySubscribeAsync();
        active.TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await active.Task.WaitAsync(stoppingToken);
        var retry = options.Value.CacheTime > TimeSpan.Zero ? options.Value.CacheTime : TimeSpan.FromMinutes(1);
        using var timer = new PeriodicTimer(retry, clock);
        while (subscription is null && await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TrySubscribeAsync();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (subscription is not null)
        {
            try
            {
                await subscription.UnsubscribeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo is stopping; the subscription goes with it.
                LogUnsubscribeFailed(e);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    private async Task TrySubscribeAsync()
    {
        try
        {
            subscription = await client.GetStreamProvider(StreamNames.Provider)
                .GetStream<EmotesChanged>(StreamId.Create(StreamNames.Emotes, StreamNames.EmotesKey))
                .SubscribeAsync((change, _) =>
                {
                    foreach (var prefix in change.Prefixes)
                    {
                        cache.Invalidate(prefix);
                    }

                    return Task.CompletedTask;
                });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSubscribeFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to emote changes; this silo relies on Emotes:CacheTime until a retry works")]
    private partial void LogSubscribeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from emote changes")]
    private partial void LogUnsubscribeFailed(Exception exception);
}
