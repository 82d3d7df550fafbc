using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Streams;
using WgStream.Gateways.LiveKit;

namespace WgStream.Api.Streams.LiveKit;

/// <summary>
/// With <c>Streams:Provider = LiveKit</c>, the backstop for its webhooks, which can fail to fire (the
/// Api was down or unreachable when LiveKit sent one, LiveKit gave up retrying, an ingress worker
/// crashed without reporting): every <see cref="LiveKitOptions.PollInterval"/> it asks LiveKit which
/// ingresses are publishing (<c>ListIngress</c>) and which rooms are open with a publisher
/// (<c>ListRooms</c>), and puts right what disagrees with the broadcaster grains, through the same
/// <see cref="LiveKitRooms"/> calls as the webhooks: a channel live on LiveKit whose room is gone or
/// has no publisher is ended; a room with a publishing ingress whose channel is not live is started.
/// </summary>
/// <remarks>
/// A disagreement is acted on only when two polls in a row see it, so a webhook in flight while the
/// poll reads (LiveKit and the grains are read at different moments) is not overridden. If LiveKit
/// cannot be reached or answers an error, nothing is changed: a warning is logged and the next tick
/// tries again. Several Api nodes polling is harmless: the grain calls are idempotent.
/// </remarks>
public sealed partial class LiveKitLivenessPoller(
    IClusterClient cluster,
    LiveKitRooms rooms,
    LiveKitIngressClient ingresses,
    LiveKitRoomClient roomList,
    IOptions<StreamOptions> streams,
    IOptions<LiveKitOptions> options,
    TimeProvider clock,
    ILogger<LiveKitLivenessPoller> logger) : BackgroundService
{
    /// <summary>What the last poll found wrong; only touched by the polling loop.</summary>
    private HashSet<Disagreement> seenBefore = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PollInterval;
        if (!streams.Value.UsesLiveKit || !options.Value.IsConfigured || interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await PollAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // LiveKit down, slow (the HTTP timeout) or refusing, or the cluster not answering:
                // keep the live state as it is and look again next tick.
                LogPollFailed(e.GetType().Name, e.Message);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        // The grains and LiveKit are read at different moments: a webhook handled in between makes
        // a disagreement that this poll sees and the next one no longer does (see the remarks).
        var live = new Dictionary<Guid, IngestConnection>();
        foreach (var channelId in await cluster.GetGrain<IOpenBroadcastsGrain>(0).ChannelsAsync(IngestKind.LiveKit))
        {
            if (await cluster.GetGrain<IBroadcasterGrain>(channelId).GetConnectionAsync() is { Kind: IngestKind.LiveKit } connection)
            {
                live[channelId] = connection;
            }
        }

        var publishingIngress = new Dictionary<Guid, string>();
        foreach (var ingress in await ingresses.ListAsync(cancellationToken))
        {
            if (ingress.Publishing && LiveKitNames.ChannelOf(ingress.RoomName) is { } channelId)
            {
                publishingIngress.TryAdd(channelId, ingress.IngressId);
            }
        }

        var names = live.Keys.Concat(publishingIngress.Keys).Distinct().Select(LiveKitNames.RoomName).ToList();
        var withPublisher = (await roomList.ListAsync(names, cancellationToken))
            .Where(r => r.Publishers > 0)
            .Select(r => LiveKitNames.ChannelOf(r.Name))
            .OfType<Guid>()
            .ToHashSet();

        var now = new HashSet<Disagreement>();
        foreach (var (channelId, connection) in live)
        {
            if (!withPublisher.Contains(channelId))
            {
                now.Add(new Disagreement(channelId, ShouldBeLive: false, connection.Id));
            }
        }

        foreach (var (channelId, ingressId) in publishingIngress)
        {
            if (!live.ContainsKey(channelId) && withPublisher.Contains(channelId))
            {
                now.Add(new Disagreement(channelId, ShouldBeLive: true, ingressId));
            }
        }

        foreach (var wrong in now.Where(seenBefore.Contains))
        {
            await PutRightAsync(wrong);
        }

        seenBefore = now;
    }

    private async Task PutRightAsync(Disagreement wrong)
    {
        try
        {
            if (wrong.ShouldBeLive)
            {
                LogStarting(wrong.ChannelId);
                await rooms.StartedAsync(wrong.ChannelId, wrong.IngressId);
            }
            else
            {
                LogEnding(wrong.ChannelId);
                await rooms.FinishedAsync(wrong.ChannelId, wrong.IngressId);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One channel failing must not keep the others from being put right; the next poll tries it again.
            LogPutRightFailed(e, wrong.ChannelId);
        }
    }

    /// <summary>A channel whose live state LiveKit contradicts: it should be live on <see cref="IngressId"/>, or should not be live on it.</summary>
    private sealed record Disagreement(Guid ChannelId, bool ShouldBeLive, string IngressId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not poll LiveKit for live rooms ({Error}: {Reason}); live states stay as they are until the next poll")]
    private partial void LogPollFailed(string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} is live on LiveKit but no webhook said so; starting the broadcast")]
    private partial void LogStarting(Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}'s LiveKit room has no publisher but no webhook said so; ending the broadcast")]
    private partial void LogEnding(Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not put channel {ChannelId}'s live state right after polling LiveKit; the next poll tries again")]
    private partial void LogPutRightFailed(Exception exception, Guid channelId);
}
