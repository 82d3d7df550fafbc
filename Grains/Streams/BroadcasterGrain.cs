using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.Grains.Infrastructure.Secrets;
using WgStream.Grains.Infrastructure.Telemetry;
using Orleans.Streams;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

/// <summary>
/// A channel's broadcasting side (keyed by channel id). Holds the stream settings (grain state), the
/// key (in <c>stream_keys</c>: hashed for lookup, encrypted for the dashboard), the encoder
/// connection that is live, and its viewers as each Api node reports them (a count per node, under
/// a lease the node renews; see <see cref="IBroadcasterGrain.ReportViewersAsync"/>). One timer,
/// alive while the channel is live or watched, ends a broadcast whose RTMP heartbeat stopped, drops
/// the viewers of nodes whose lease ran out and writes viewer counts through.
/// </summary>
public sealed partial class BroadcasterGrain(
    [PersistentState("broadcaster", StorageNames.Default)] IPersistentState<BroadcasterState> broadcaster,
    StreamStore store,
    SecretProtector protector,
    IOptions<StreamOptions> options,
    TimeProvider clock,
    WgMetrics metrics,
    ILogger<BroadcasterGrain> logger) : Grain, IBroadcasterGrain
{
    private static readonly TimeSpan MinLease = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxLease = TimeSpan.FromMinutes(10);

    /// <summary>Per Api node: its last report. A count of 0 stays until its lease ends, so an older report that arrives late is still recognised as older.</summary>
    private readonly Dictionary<string, NodeViewers> nodes = new(StringComparer.Ordinal);
    private int viewers;
    private StoredStreamKey? key;
    private DateTimeOffset lastHeartbeat;
    private DateTimeOffset lastFlush;
    private bool viewersDirty;
    private IGrainTimer? timer;

    private BroadcasterState State => broadcaster.State;

    private Guid ChannelId => this.GetPrimaryKey();

    private bool IsLive => State.LiveStreamId is not null;

    private StreamOptions Options => options.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsLive)
        {
            // Left live by a silo that stopped: the encoder gets a full timeout to prove it is still there.
            lastHeartbeat = clock.GetUtcNow();
            EnsureTimer();
        }

        return Task.CompletedTask;
    }

    public async Task<StreamSettings> GetSettingsAsync() => Settings(await KeyAsync());

    public async Task<StreamSettings> RotateKeyAsync()
    {
        var fresh = await SaveNewKeyAsync();
        if (IsLive && State.Connection?.Kind == IngestKind.Rtmp)
        {
            // The old key may be in the wrong hands: whoever streams with it is cut off now (nginx
            // drops the encoder on its next on_update, which this key no longer passes).
            await EndLiveAsync(StreamEndReason.KeyRotated);
        }

        return Settings(fresh);
    }

    public async Task<StreamSettings> UpdateAsync(StreamUpdate update)
    {
        var title = update.Title is null ? State.Title : StreamRules.Title(update.Title);
        var category = State.CategorySlug;
        if (update.CategorySlug is not null)
        {
            category = update.CategorySlug.Trim().ToLowerInvariant();
            if (category.Length is 0 or > 40 || !await store.CategoryExistsAsync(category))
            {
                throw WgException.BadInput("Choose one of the listed categories.", "category");
            }
        }

        State.Title = title;
        State.CategorySlug = category;
        await broadcaster.WriteStateAsync();
        if (State.LiveStreamId is { } streamId)
        {
            var liveTitle = title ?? await DefaultTitleAsync();
            await Stream(streamId).UpdateAsync(liveTitle, category);
            await Channel.SetLiveAsync(new ChannelLive(streamId, liveTitle, category, State.LiveSince!.Value, LiveViewers));
            await PublishStatusAsync(StreamStatusKind.Updated, streamId, liveTitle, category, null);
        }

        return Settings(await KeyAsync());
    }

    public async Task<PublishResult> PublishAsync(IngestConnection connection, string? keyHash)
    {
        if (keyHash is not null)
        {
            var current = await store.GetKeyAsync(ChannelId);
            if (current is null || !StreamKeys.HashesEqual(current.Hash, keyHash))
            {
                return new PublishResult(PublishOutcome.WrongKey, null);
            }
        }
        else if (connection.Kind == IngestKind.Rtmp)
        {
            return new PublishResult(PublishOutcome.WrongKey, null);
        }

        if (!IsLive && await Channel.GetAsync() is null)
        {
            // No channel, or a hidden one (its owner deactivated the account): nothing to go live on.
            return new PublishResult(PublishOutcome.WrongKey, null);
        }

        if (State.LiveStreamId is { } liveId)
        {
            if (State.Connection == connection)
            {
                lastHeartbeat = clock.GetUtcNow();
                return new PublishResult(PublishOutcome.Accepted, liveId);
            }

            return new PublishResult(PublishOutcome.AlreadyLive, liveId);
        }

        var title = State.Title ?? await DefaultTitleAsync();
        var now = clock.GetUtcNow();
        var streamId = Guid.NewGuid();
        State.LiveStreamId = streamId;
        State.Connection = connection;
        State.LiveSince = now;
        await broadcaster.WriteStateAsync();

        await Stream(streamId).StartAsync(new StreamStart(ChannelId, title, State.CategorySlug, now, connection.Kind));
        await Channel.SetLiveAsync(new ChannelLive(streamId, title, State.CategorySlug, now, viewers));
        metrics.LiveStreams.Add(1);
        await Stream(streamId).SetViewerCountAsync(viewers, persist: true);
        lastHeartbeat = now;
        viewersDirty = viewers > 0;
        EnsureTimer();
        LogLive(ChannelId, streamId, connection.Kind);

        await PublishStatusAsync(StreamStatusKind.Live, streamId, title, State.CategorySlug, null);
        await NotifyFollowersAsync(new StreamStartedEvent(now, ChannelId, streamId, title, State.CategorySlug));
        return new PublishResult(PublishOutcome.Accepted, streamId);
    }

    /// <summary>
    /// Records the go-live for the follower fan-out (one durable row; the expansion to followers runs
    /// in the background). A failure here must not stop the broadcast, so it is logged instead.
    /// </summary>
    private async Task NotifyFollowersAsync(StreamStartedEvent started)
    {
        try
        {
            await GrainFactory.GetGrain<INotificationDispatchGrain>(0).PublishAsync(started);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotifyFailed(e, ChannelId, started.StreamId);
        }
    }

    public Task<bool> HeartbeatAsync(IngestConnection connection)
    {
        if (!IsLive || State.Connection != connection)
        {
            return Task.FromResult(false);
        }

        lastHeartbeat = clock.GetUtcNow();
        return Task.FromResult(true);
    }

    public async Task PublishDoneAsync(IngestConnection connection)
    {
        if (IsLive && State.Connection == connection)
        {
            await EndLiveAsync(connection.Kind == IngestKind.LiveKit ? StreamEndReason.IngressEnded : StreamEndReason.PublisherStopped);
        }
    }

    public async Task<StreamInfo?> GetLiveAsync() =>
        State.LiveStreamId is { } streamId && await Stream(streamId).GetAsync() is { } info
            ? info with { ViewerCount = LiveViewers }
            : null;

    public async Task<int> ReportViewersAsync(ViewerReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = clock.GetUtcNow();
        if (!nodes.TryGetValue(report.NodeId, out var last) || report.Sequence > last.Sequence)
        {
            var lease = report.Lease < MinLease ? MinLease : report.Lease > MaxLease ? MaxLease : report.Lease;
            nodes[report.NodeId] = new NodeViewers(Math.Max(0, report.Count), report.Sequence, now + lease);
        }

        EnsureTimer();
        await RecountAsync(now);
        return viewers;
    }

    public Task ResumeAsync() => Task.CompletedTask;

    private int LiveViewers => IsLive ? viewers : 0;

    private IChannelGrain Channel => GrainFactory.GetGrain<IChannelGrain>(ChannelId);

    private IStreamGrain Stream(Guid streamId) => GrainFactory.GetGrain<IStreamGrain>(streamId);

    /// <summary>Forgets the nodes whose lease has run out and, if the sum changed, tells the channel and the live stream.</summary>
    private async Task RecountAsync(DateTimeOffset now)
    {
        var total = 0;
        List<string>? expired = null;
        foreach (var (node, counted) in nodes)
        {
            if (counted.ExpiresAt <= now)
            {
                (expired ??= []).Add(node);
            }
            else
            {
                total += counted.Count;
            }
        }

        foreach (var node in expired ?? [])
        {
            nodes.Remove(node);
            LogLeaseExpired(ChannelId, node);
        }

        if (total == viewers)
        {
            return;
        }

        viewers = total;
        if (IsLive)
        {
            viewersDirty = true;
            await Channel.SetViewerCountAsync(viewers, persist: false);
            await Stream(State.LiveStreamId!.Value).SetViewerCountAsync(viewers, persist: false);
        }
    }

    private async Task EndLiveAsync(StreamEndReason reason)
    {
        var streamId = State.LiveStreamId!.Value;
        State.LiveStreamId = null;
        State.Connection = null;
        State.LiveSince = null;
        await broadcaster.WriteStateAsync();

        var now = clock.GetUtcNow();
        var stream = Stream(streamId);
        StreamInfo? ended = null;
        try
        {
            await stream.SetViewerCountAsync(viewers, persist: false);
            ended = await stream.EndAsync(reason, now);
        }
        catch (WgException e) when (e.Code == ErrorCodes.NotFound)
        {
            // A silo stopped between marking the channel live and recording the stream: nothing to close.
        }

        await Channel.SetLiveAsync(null);
        metrics.LiveStreams.Add(-1);
        viewersDirty = false;
        LogEnded(ChannelId, streamId, reason);

        await PublishStatusAsync(StreamStatusKind.Offline, streamId, ended?.Title ?? string.Empty, ended?.CategorySlug, reason);
    }

    private void EnsureTimer()
    {
        if (timer is not null)
        {
            return;
        }

        var tick = TimeSpan.FromTicks(Math.Max(
            TimeSpan.FromMilliseconds(200).Ticks,
            Math.Min(Options.HeartbeatTimeout.Ticks / 4, Options.ViewerCountFlushInterval.Ticks)));
        // KeepAlive: the nodes' viewer counts and the heartbeat clock live in memory, so the grain
        // must stay activated while the channel is live or watched. (If it is lost anyway, with its
        // silo, the nodes' next reports rebuild the counts.)
        timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions { DueTime = tick, Period = tick, KeepAlive = true });
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (IsLive && State.Connection?.Kind == IngestKind.Rtmp && now - lastHeartbeat > Options.HeartbeatTimeout)
        {
            LogHeartbeatTimeout(ChannelId, now - lastHeartbeat);
            await EndLiveAsync(StreamEndReason.HeartbeatTimeout);
        }

        await RecountAsync(now);
        if (IsLive && viewersDirty && now - lastFlush >= Options.ViewerCountFlushInterval)
        {
            viewersDirty = false;
            lastFlush = now;
            var streamId = State.LiveStreamId!.Value;
            await Channel.SetViewerCountAsync(viewers, persist: true);
            var stream = Stream(streamId);
            await stream.SetViewerCountAsync(viewers, persist: true);
            if (await stream.GetAsync() is { } info)
            {
                await PublishStatusAsync(StreamStatusKind.Updated, streamId, info.Title, info.CategorySlug, null);
            }
        }
        else if (IsLive && now - lastFlush >= Options.ViewerLease)
        {
            // The channel and stream grains keep the count in memory only; one reactivated since
            // (its silo died, or it idled out) would show a stale count until the next change.
            lastFlush = now;
            await Channel.SetViewerCountAsync(viewers, persist: false);
            await Stream(State.LiveStreamId!.Value).SetViewerCountAsync(viewers, persist: false);
        }

        if (!IsLive && nodes.Count == 0)
        {
            timer?.Dispose();
            timer = null;
        }
    }

    private Task PublishStatusAsync(StreamStatusKind kind, Guid streamId, string title, string? category, StreamEndReason? reason) =>
        this.GetStreamProvider(StreamNames.Provider)
            .GetStream<StreamStatusChanged>(StreamId.Create(StreamNames.StreamStatus, ChannelId))
            .OnNextAsync(new StreamStatusChanged(ChannelId, kind, streamId, title, category, LiveViewers, reason, clock.GetUtcNow()));

    private async Task<string> DefaultTitleAsync() =>
        (await Channel.GetAsync())?.DisplayName ?? throw WgException.NotFound("No such channel.");

    private async Task<StoredStreamKey> KeyAsync()
    {
        key ??= await store.GetKeyAsync(ChannelId);
        return key ?? await SaveNewKeyAsync();
    }

    private async Task<StoredStreamKey> SaveNewKeyAsync()
    {
        if (await Channel.GetAsync() is null)
        {
            throw WgException.NotFound("No such channel.");
        }

        var plain = StreamKeys.NewKey();
        var fresh = new StoredStreamKey(StreamKeys.Hash(plain), protector.Protect(SecretKind.StreamKey, ChannelId, plain), clock.GetUtcNow());
        await store.SaveKeyAsync(ChannelId, fresh);
        key = fresh;
        return fresh;
    }

    private StreamSettings Settings(StoredStreamKey stored) =>
        new(protector.Unprotect(SecretKind.StreamKey, ChannelId, stored.Ciphertext), State.Title, State.CategorySlug, stored.RotatedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: Api node {NodeId} stopped renewing its viewer count; its viewers no longer count")]
    private partial void LogLeaseExpired(Guid channelId, string nodeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} is live with stream {StreamId} over {Ingest}")]
    private partial void LogLive(Guid channelId, Guid streamId, IngestKind ingest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} stream {StreamId} ended: {Reason}")]
    private partial void LogEnded(Guid channelId, Guid streamId, StreamEndReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the go-live of channel {ChannelId} (stream {StreamId}) for follower notifications")]
    private partial void LogNotifyFailed(Exception exception, Guid channelId, Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: no ingest heartbeat for {Silence}; ending the broadcast")]
    private partial void LogHeartbeatTimeout(Guid channelId, TimeSpan silence);

    private readonly record struct NodeViewers(int Count, long Sequence, DateTimeOffset ExpiresAt);
}
