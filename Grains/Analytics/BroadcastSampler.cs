using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Analytics;

/// <summary>
/// Samples one live broadcast for its stream grain, which owns it (one per activation, made by
/// <see cref="BroadcastSampling"/>). A grain timer fires just after each grid point; the span that
/// ended there is collected from the grains that own each fact: viewers from the stream grain's own
/// <see cref="ViewerMeter"/>, chat from the room, new followers from the channel, sales from the
/// channel's sponsors (the ledger), ingest health from the broadcaster. The sample goes to the
/// silo's <see cref="AnalyticsWriter"/>; nothing here waits for the database. The end of the
/// broadcast closes the last (partial) span and asks for the broadcast's exact totals.
/// <para>
/// The timer interleaves with the stream grain's calls (as the thumbnail timer does): the
/// broadcaster calls the stream grain while the sampler may be waiting on the broadcaster. Each
/// span is claimed (its start moved on) before the first await, so a tick and the end never take
/// the same time twice.
/// </para>
/// </summary>
public sealed partial class BroadcastSampler : IDisposable
{
    private readonly IGrainFactory grains;
    private readonly AnalyticsWriter writer;
    private readonly AnalyticsOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly StreamInfo broadcast;
    private readonly ViewerMeter meter;
    private DateTimeOffset spanStart;
    private IGrainTimer? timer;
    private Task ticking = Task.CompletedTask;
    private bool ended;

    internal BroadcastSampler(
        IGrainFactory grains, AnalyticsWriter writer, AnalyticsOptions options, TimeProvider clock, ILogger logger,
        StreamInfo broadcast, DateTimeOffset spanStart, int? viewers)
    {
        (this.grains, this.writer, this.options, this.clock, this.logger, this.broadcast) = (grains, writer, options, clock, logger, broadcast);
        this.spanStart = spanStart;
        meter = new ViewerMeter(spanStart, viewers);
    }

    private Guid StreamId => broadcast.Id;

    private Guid ChannelId => broadcast.ChannelId;

    /// <summary>Starts the counts of a new broadcast: what the room and the channel counted before it is not its own.</summary>
    internal async Task ResetOwnersAsync()
    {
        await Task.WhenAll(
            Guarded(grains.GetGrain<IChatRoomGrain>(ChannelId).TakeActivityAsync(TrackFor), ChatActivity.None, "chat"),
            Guarded(grains.GetGrain<IChannelGrain>(ChannelId).TakeNewFollowersAsync(), 0, "follows"));
    }

    internal void StartTimer(IGrainBase grain) =>
        timer = grain.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions
        {
            DueTime = DueAfter(clock.GetUtcNow()),
            Period = options.SampleInterval,
            Interleave = true,
            KeepAlive = true,
        });

    /// <summary>The broadcast's viewer count changed (or was re-sent).</summary>
    public void Viewers(int count) => meter.Set(count, clock.GetUtcNow());

    /// <summary>Closes the last span at <paramref name="endedAt"/> and queues the broadcast's finalization. Never throws.</summary>
    public async Task EndAsync(DateTimeOffset endedAt)
    {
        if (ended)
        {
            return;
        }

        ended = true;
        Dispose();

        // A tick that claimed its span before the end may still be collecting. Its sample is queued
        // before the end, because the writer finalizes the broadcast after the samples queued
        // ahead of the end, and a sample written after that would change "final" figures.
        await ticking.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        var start = spanStart;
        if (endedAt > start)
        {
            spanStart = endedAt;
            await RecordAsync(start, endedAt, meter.Close(endedAt), withHealth: false);
        }

        writer.Enqueue(new BroadcastEnded(StreamId, ChannelId, broadcast.StartedAt, endedAt));
    }

    public void Dispose()
    {
        timer?.Dispose();
        timer = null;
    }

    /// <summary>Senders are tracked by the room this long after each take: long enough to outlast a missed tick or two.</summary>
    private TimeSpan TrackFor => options.SampleInterval * 3;

    /// <summary>
    /// Until the next collection: the first grid point whose collection time is still ahead (a
    /// timer that fires a little early must not skip the one it was meant for).
    /// </summary>
    private TimeSpan DueAfter(DateTimeOffset now)
    {
        var next = options.GridPoint(now - options.CollectDelay) + options.SampleInterval;
        var due = next + options.CollectDelay - now;
        return due < TimeSpan.Zero ? TimeSpan.Zero : due;
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        if (ended)
        {
            return;
        }

        var end = options.GridPoint(clock.GetUtcNow() - options.CollectDelay);
        if (end > spanStart)
        {
            var start = spanStart;
            spanStart = end;
            ticking = RecordAsync(start, end, meter.Close(end), withHealth: true);
            await ticking;
        }

        // Back onto the grid: a timer's period drifts, samples must not.
        timer?.Change(DueAfter(clock.GetUtcNow()), options.SampleInterval);
    }

    private async Task RecordAsync(DateTimeOffset start, DateTimeOffset end, ViewerSpan viewers, bool withHealth)
    {
        var durationMs = (long)Math.Round((end - start).TotalMilliseconds);
        if (durationMs < 1)
        {
            return;
        }

        var chat = Guarded(grains.GetGrain<IChatRoomGrain>(ChannelId).TakeActivityAsync(ended ? TimeSpan.Zero : TrackFor), ChatActivity.None, "chat");
        var follows = Guarded(grains.GetGrain<IChannelGrain>(ChannelId).TakeNewFollowersAsync(), 0, "follows");
        var sales = Guarded(grains.GetGrain<IChannelSponsorsGrain>(ChannelId).GetSalesAsync(start, end), SponsorSales.None, "sales");
        var health = withHealth ? Guarded(grains.GetGrain<IBroadcasterGrain>(ChannelId).GetIngestHealthAsync(), null, "ingest health") : Task.FromResult<IngestHealth?>(null);
        await Task.WhenAll(chat, follows, sales, health);

        // After a reactivation the first span is measured only from the first count the
        // broadcaster re-sent: the rest of it is taken to have had the same average.
        var viewerMs = viewers.MeasuredMs > 0 && viewers.MeasuredMs < durationMs
            ? (long)Math.Round(viewers.ViewerMs * (double)durationMs / viewers.MeasuredMs)
            : viewers.ViewerMs;
        var ingest = await health;
        writer.Enqueue(new RecordedSample(
            StreamId,
            ChannelId,
            start,
            (int)Math.Min(durationMs, int.MaxValue),
            viewers.Viewers,
            viewers.Peak,
            viewerMs,
            (await chat).Messages,
            (await chat).Chatters,
            await follows,
            (await sales).NewSponsors,
            (await sales).Revenue,
            ingest?.LastHeartbeatAt is { } heartbeat ? (int)Math.Clamp((clock.GetUtcNow() - heartbeat).TotalMilliseconds, 0, int.MaxValue) : null,
            ingest?.Transcode?.FellBack ?? false));
    }

    /// <summary>A count that cannot be had is recorded as nothing rather than losing the whole sample.</summary>
    private async Task<T> Guarded<T>(Task<T> call, T fallback, string what)
    {
        try
        {
            return await call;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogCollectFailed(e, what, StreamId);
            return fallback;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Analytics: could not collect {What} for broadcast {StreamId}; the sample records none")]
    private partial void LogCollectFailed(Exception exception, string what, Guid streamId);
}
