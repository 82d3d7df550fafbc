using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Accounts;

/// <summary>
/// Keeps this silo's <see cref="SiteBannedUsers"/> current and finishes cut-short bans. Once the
/// silo is active (<see cref="SiloActiveAsync"/>, a start-up task) it loads the banned accounts,
/// subscribes to the <c>site-bans</c> stream, and then every <see cref="SiteBanOptions.SweepInterval"/>
/// reloads the set and re-applies the effects of every ban or unban not marked applied (the grain
/// call queues behind one still running, and every effect is idempotent, so sweeping a ban that is
/// in progress, or on several silos at once, is harmless).
/// </summary>
public sealed partial class SiteBanWatcher(
    IClusterClient client,
    SiteBanStore store,
    SiteBannedUsers banned,
    IOptions<SiteBanOptions> options,
    TimeProvider clock,
    ILogger<SiteBanWatcher> logger) : BackgroundService
{
    private readonly TaskCompletionSource active = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StreamSubscriptionHandle<SiteBanChanged>? subscription;

    /// <summary>The silo start-up task: grains and streams can be used from now on. The first load happens before the silo reports itself started.</summary>
    public async Task SiloActiveAsync(CancellationToken cancellationToken)
    {
        await TryReloadAsync(cancellationToken);
        await TrySubscribeAsync();
        active.TrySetResult();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await active.Task.WaitAsync(stoppingToken);
        var interval = options.Value.SweepInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await TrySubscribeAsync();
            await TryReloadAsync(stoppingToken);
            await SweepAsync(stoppingToken);
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

    /// <summary>Re-applies the effects of the bans and unbans a silo (or a failed write) left unfinished.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<Guid> pending;
        try
        {
            pending = await store.PendingAsync(options.Value.SweepBatchSize);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSweepFailed(e);
            return;
        }

        foreach (var userId in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                LogFinishing(userId);
                await client.GetGrain<ISiteBanGrain>(userId).ReapplyAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Still pending: the next sweep tries again.
                LogReapplyFailed(e, userId);
            }
        }
    }

    private async Task TryReloadAsync(CancellationToken cancellationToken)
    {
        try
        {
            var started = banned.ReadStarted();
            banned.Replace(await store.InForceIdsAsync(cancellationToken), started);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogReloadFailed(e);
        }
    }

    private async Task TrySubscribeAsync()
    {
        if (subscription is not null)
        {
            return;
        }

        try
        {
            subscription = await client.GetStreamProvider(StreamNames.Provider)
                .GetStream<SiteBanChanged>(StreamId.Create(StreamNames.SiteBans, StreamNames.SiteBansKey))
                .SubscribeAsync((change, _) =>
                {
                    banned.Set(change.UserId, change.Banned);
                    return Task.CompletedTask;
                });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Until it works, the periodic reload is what brings bans to this silo.
            LogSubscribeFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the site bans; this silo keeps the set it has")]
    private partial void LogReloadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to site-ban changes; retrying at the next sweep")]
    private partial void LogSubscribeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from site-ban changes")]
    private partial void LogUnsubscribeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The site-ban sweep could not read the pending bans")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Finishing the site ban (or unban) of {UserId}, whose effects were cut short")]
    private partial void LogFinishing(Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not finish the site ban (or unban) of {UserId}; the next sweep tries again")]
    private partial void LogReapplyFailed(Exception exception, Guid userId);
}
