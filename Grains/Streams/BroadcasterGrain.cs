using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.Grains.Infrastructure.Secrets;
using WgStream.ServiceDefaults;
using Orleans.Streams;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Channels;

namespace WgStream.Grains.Streams;

/// <summary>
/// A channel's broadcasting side (keyed by channel id). Holds the stream settings (grain state), the
/// key (in <c>stream_keys</c>: hashed for lookup, encrypted for the dashboard), the encoder
/// connection that is live, and its viewers as each Api node reports them (a count per node, under
/// a lease the node renews; see <see cref="IBroadcasterGrain.ReportViewersAsync"/>). One timer,
/// alive while the channel is live or watched, ends a broadcast whose RTMP heartbeat stopped, drops
/// the viewers of nodes whose lease ran out and writes viewer counts through.
/// <para>
/// Consistency (issue 15): this grain's state is the fact "live with stream S on connection C"; the
/// stream row (<see cref="StreamGrain"/>) and the channel's live state and directory row are
/// projections of it. Going live writes the stream row first, then this state, then the channel;
/// ending writes this state first, then the projections. A failure between the writes therefore
/// leaves either an open stream row nobody holds or a projection behind this state, and
/// <see cref="ReconcileAsync"/> (on activation, from the start-up and periodic sweep of
/// <see cref="StreamRecovery"/>, and from the timer after a failed write) puts both right.
/// </para>
/// </summary>
public sealed partial class BroadcasterGrain(
    [PersistentState("broadcaster", StorageNames.Default)] IPersistentState<BroadcasterState> broadcaster,
    StreamStore store,
    CategoryStore categories,
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

    /// <summary>A projection write failed while going live or ending: the timer reconciles until one succeeds.</summary>
    private bool reconcileDue;

    /// <summary>
    /// RTMP connections that stopped or were cut off, and when: nginx numbers its client connections,
    /// so one of these never publishes again, and an on_publish for it that arrives late (overtaken
    /// by its on_publish_done) or is retried must not put the channel live with nobody publishing.
    /// In memory only: a lost activation forgets them, and the heartbeat timeout still ends such a broadcast.
    /// </summary>
    private readonly Dictionary<IngestConnection, DateTimeOffset> endedConnections = [];

    private BroadcasterState State => broadcaster.State;

    private Guid ChannelId => this.GetPrimaryKey();

    private TranscodeStatus? transcode;

    private bool IsLive => State.LiveStreamId is not null;

    private StreamOptions Options => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (IsLive)
        {
            // Left live by a silo that stopped: the encoder gets a full timeout to prove it is still there.
            lastHeartbeat = clock.GetUtcNow();
            EnsureTimer();
        }

        try
        {
            await ReconcileAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The grain still works; the timer (or the next sweep) tries again.
            LogReconcileFailed(e, ChannelId);
            reconcileDue = true;
            EnsureTimer();
        }
    }

    public async Task<StreamSettings> GetSettingsAsync() => await SettingsAsync(await KeyAsync());

    public Task<bool> RecordsBroadcastsAsync() => Task.FromResult(!State.RecordingOff);

    public async Task<StreamSettings> RotateKeyAsync()
    {
        var fresh = await SaveNewKeyAsync();
        if (IsLive && State.Connection?.Kind == IngestKind.Rtmp)
        {
            // The old key may be in the wrong hands: whoever streams with it is cut off now (nginx
            // drops the encoder on its next on_update, which this key no longer passes).
            await EndLiveAsync(StreamEndReason.KeyRotated);
        }

        return await SettingsAsync(fresh);
    }

    public async Task<StreamSettings> UpdateAsync(StreamUpdate update)
    {
        var title = update.Title is null ? State.Title : StreamRules.Title(update.Title);
        var category = State.CategorySlug;
        if (update.CategorySlug is not null)
        {
            category = update.CategorySlug.Trim().ToLowerInvariant();
            if (category.Length is 0 or > 40 || !await categories.ExistsAsync(category))
            {
                throw WgException.BadInput("Choose one of the listed categories.", "category");
            }
        }

        if (update.Classification is { IsEmpty: false } classification)
        {
            // Tags, language and the mature flag describe the channel, offline too: the channel holds
            // them (and checks them, before anything here is written, so bad input changes nothing).
            await Channel.ClassifyAsync(classification);
        }

        State.Title = title;
        State.CategorySlug = category;
        if (update.RecordBroadcasts is { } record)
        {
            State.RecordingOff = !record;
        }

        await broadcaster.WriteStateAsync();
        if (State.LiveStreamId is { } streamId)
        {
            var liveTitle = title ?? await DefaultTitleAsync();
            await Stream(streamId).UpdateAsync(liveTitle, category);
            await Channel.SetLiveAsync(new ChannelLive(streamId, liveTitle, category, State.LiveSince!.Value, LiveViewers));
            await PublishStatusAsync(StreamStatusKind.Updated, streamId, liveTitle, category, null);
        }

        return await SettingsAsync(await KeyAsync());
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

        if (await GrainFactory.GetGrain<GrainInterfaces.Accounts.IUserLifecycleGrain>(ChannelId).GetSiteBanAsync() is not null)
        {
            // Asked at each go-live (not cached): the user grain has the ban before it ends the broadcast.
            return new PublishResult(PublishOutcome.Banned, null);
        }

        if (connection.Kind == IngestKind.Rtmp && endedConnections.ContainsKey(connection))
        {
            return new PublishResult(PublishOutcome.AlreadyEnded, null);
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
        var stream = Stream(streamId);
        // The stream row first: if the state write below never happens, the row is open but held by
        // nobody, which reconciliation closes; the other way round a live state could exist with no
        // row for the start-up sweep to find.
        await stream.StartAsync(new StreamStart(ChannelId, title, State.CategorySlug, now, connection.Kind));
        State.LiveStreamId = streamId;
        State.Connection = connection;
        State.LiveSince = now;
        try
        {
            await broadcaster.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Not live after all: the activation must not say so, and the row just opened is closed.
            State.LiveStreamId = null;
            State.Connection = null;
            State.LiveSince = null;
            LogGoLiveFailed(e, ChannelId, streamId);
            await TryCloseStreamAsync(streamId, StreamEndReason.Interrupted, clock.GetUtcNow());
            throw;
        }

        // From here the state says live: the heartbeat clock runs whatever happens next, so a
        // broadcast whose go-live failed half-way cannot stay live without an encoder.
        metrics.LiveStreams.Add(1);
        lastHeartbeat = now;
        viewersDirty = viewers > 0;
        EnsureTimer();
        try
        {
            await Channel.SetLiveAsync(new ChannelLive(streamId, title, State.CategorySlug, now, viewers));
            await stream.SetViewerCountAsync(viewers, persist: true);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The channel could not be listed live: the encoder is refused (the caller sees the
            // error) and the broadcast ended, so nothing is left half live.
            LogGoLiveFailed(e, ChannelId, streamId);
            await EndLiveAsync(StreamEndReason.Interrupted);
            throw;
        }

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
        else
        {
            // Overtook its own on_publish (or repeats): that on_publish must not go live when it arrives.
            RememberEnded(connection);
        }
    }

    public async Task<StreamInfo?> GetLiveAsync() =>
        State.LiveStreamId is { } streamId && await Stream(streamId).GetAsync() is { } info
            ? info with { ViewerCount = LiveViewers }
            : null;

    public Task<IngestConnection?> GetConnectionAsync() => Task.FromResult(IsLive ? State.Connection : null);

    public Task ReportTranscodeAsync(TranscodeStatus status)
    {
        // In memory only: the worker reports again on every change and on each restart.
        transcode = IsLive ? status : null;
        return Task.CompletedTask;
    }

    public Task<TranscodeStatus?> GetTranscodeAsync() => Task.FromResult(IsLive ? transcode : null);

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

    public Task ResumeAsync() => ReconcileAsync();

    public async Task EndBroadcastAsync(StreamEndReason reason)
    {
        if (IsLive)
        {
            // nginx drops the encoder at its next on_update, which this connection no longer passes.
            await EndLiveAsync(reason);
        }
    }

    public Task<IngestHealth?> GetIngestHealthAsync() => Task.FromResult(IsLive && State.Connection is { } connection
        ? new IngestHealth(connection.Kind, connection.Kind == IngestKind.Rtmp ? lastHeartbeat : null, transcode)
        : null);

    /// <summary>
    /// Makes the projections agree with this grain's state, which is the fact: stream rows of this
    /// channel left open by a go-live or an end that was cut short are closed (unless it is the live
    /// one); a live broadcast has its row and the channel shows it; an offline channel is not listed
    /// live. Every step is idempotent, so it runs on each activation and each sweep.
    /// </summary>
    private async Task ReconcileAsync()
    {
        var now = clock.GetUtcNow();
        foreach (var open in await store.OpenStreamsAsync(ChannelId))
        {
            if (open != State.LiveStreamId)
            {
                LogClosingOrphan(ChannelId, open);
                await CloseStreamAsync(open, StreamEndReason.Interrupted, now);
            }
        }

        if (State.LiveStreamId is { } streamId)
        {
            var stream = Stream(streamId);
            var info = await stream.GetAsync();
            if (info is null)
            {
                // Live state from before the stream row came first (or a row lost): record it now.
                await stream.StartAsync(new StreamStart(ChannelId, State.Title ?? await DefaultTitleAsync(), State.CategorySlug, State.LiveSince!.Value, State.Connection!.Kind));
                info = await stream.GetAsync();
            }

            if (info is not { IsLive: true })
            {
                // The record of this broadcast is closed for good; so is the broadcast.
                await EndLiveAsync(StreamEndReason.Interrupted);
                return;
            }

            await Channel.SetLiveAsync(new ChannelLive(streamId, info.Title, info.CategorySlug, State.LiveSince!.Value, viewers));
        }
        else
        {
            await Channel.SetLiveAsync(null);
        }

        reconcileDue = false;
    }

    private async Task<StreamInfo?> CloseStreamAsync(Guid streamId, StreamEndReason reason, DateTimeOffset now)
    {
        var stream = Stream(streamId);
        try
        {
            await stream.SetViewerCountAsync(viewers, persist: false);
            return await stream.EndAsync(reason, now);
        }
        catch (WgException e) when (e.Code == ErrorCodes.NotFound)
        {
            // A silo stopped between marking the channel live and recording the stream: nothing to close.
            return null;
        }
    }

    private async Task TryCloseStreamAsync(Guid streamId, StreamEndReason reason, DateTimeOffset now)
    {
        try
        {
            await CloseStreamAsync(streamId, reason, now);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left open, held by nobody: reconciliation closes it.
            LogReconcileFailed(e, ChannelId);
        }
    }

    private void RememberEnded(IngestConnection connection)
    {
        if (connection.Kind != IngestKind.Rtmp)
        {
            // A LiveKit ingress is reused from one broadcast to the next: its id says nothing about the next one.
            return;
        }

        var now = clock.GetUtcNow();
        if (endedConnections.Count >= 32)
        {
            foreach (var old in endedConnections.Where(kv => now - kv.Value > EndedConnectionMemory).Select(kv => kv.Key).ToList())
            {
                endedConnections.Remove(old);
            }

            if (endedConnections.Count >= 32)
            {
                endedConnections.Remove(endedConnections.MinBy(kv => kv.Value).Key);
            }
        }

        endedConnections[connection] = now;
    }

    /// <summary>Long past any on_publish still in flight or retried for a connection that ended.</summary>
    private static readonly TimeSpan EndedConnectionMemory = TimeSpan.FromMinutes(10);

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
        var (connection, since) = (State.Connection!, State.LiveSince);
        transcode = null;
        State.LiveStreamId = null;
        State.Connection = null;
        State.LiveSince = null;
        try
        {
            await broadcaster.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Still live as far as storage knows: so it stays in memory, and the heartbeat clock
            // (still running) or the next end tries again.
            (State.LiveStreamId, State.Connection, State.LiveSince) = (streamId, connection, since);
            throw;
        }

        RememberEnded(connection);
        metrics.LiveStreams.Add(-1);
        viewersDirty = false;
        LogEnded(ChannelId, streamId, reason);
        StreamInfo? ended = null;
        try
        {
            ended = await CloseStreamAsync(streamId, reason, clock.GetUtcNow());
            await Channel.SetLiveAsync(null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The broadcast is over (the state says so, durably); the stream row and the listing
            // follow it from the timer's reconciliation, or the sweep's if this activation is lost.
            LogReconcileFailed(e, ChannelId);
            reconcileDue = true;
            EnsureTimer();
        }

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
        if (reconcileDue)
        {
            try
            {
                await ReconcileAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReconcileFailed(e, ChannelId);
            }
        }

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

        if (!IsLive && nodes.Count == 0 && !reconcileDue)
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

    private async Task<StreamSettings> SettingsAsync(StoredStreamKey stored) =>
        new(protector.Unprotect(SecretKind.StreamKey, ChannelId, stored.Ciphertext), State.Title, State.CategorySlug, stored.RotatedAt, !State.RecordingOff,
            (await Channel.GetAsync())?.Classified ?? ChannelClassification.None);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: Api node {NodeId} stopped renewing its viewer count; its viewers no longer count")]
    private partial void LogLeaseExpired(Guid channelId, string nodeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} is live with stream {StreamId} over {Ingest}")]
    private partial void LogLive(Guid channelId, Guid streamId, IngestKind ingest);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} stream {StreamId} ended: {Reason}")]
    private partial void LogEnded(Guid channelId, Guid streamId, StreamEndReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the go-live of channel {ChannelId} (stream {StreamId}) for follower notifications")]
    private partial void LogNotifyFailed(Exception exception, Guid channelId, Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: the stream record or the listing could not be brought in line with the broadcast state; trying again")]
    private partial void LogReconcileFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: going live with stream {StreamId} failed half-way; undone")]
    private partial void LogGoLiveFailed(Exception exception, Guid channelId, Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: stream {StreamId} was left open by a go-live or an end cut short; closed")]
    private partial void LogClosingOrphan(Guid channelId, Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: no ingest heartbeat for {Silence}; ending the broadcast")]
    private partial void LogHeartbeatTimeout(Guid channelId, TimeSpan silence);

    private readonly record struct NodeViewers(int Count, long Sequence, DateTimeOffset ExpiresAt);
}
