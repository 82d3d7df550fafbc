using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Analytics;

/// <summary>What a silo's <see cref="AnalyticsWriter"/> queues: a sample, or the end of a broadcast to finalize.</summary>
public abstract record AnalyticsWrite(Guid StreamId, Guid ChannelId);

/// <summary>One span of a live broadcast as it is stored (a <c>broadcast_samples</c> row).</summary>
public sealed record RecordedSample(
    Guid StreamId,
    Guid ChannelId,
    DateTimeOffset At,
    int DurationMs,
    int Viewers,
    int PeakViewers,
    long ViewerMs,
    int ChatMessages,
    int Chatters,
    int Follows,
    int NewSponsors,
    IReadOnlyList<MoneyAmount> Revenue,
    int? HeartbeatAgeMs,
    bool TranscodeFellBack) : AnalyticsWrite(StreamId, ChannelId);

/// <summary>A broadcast ended: its exact totals (chat, sponsors, revenue over its time) are counted and stored.</summary>
public sealed record BroadcastEnded(Guid StreamId, Guid ChannelId, DateTimeOffset StartedAt, DateTimeOffset EndedAt) : AnalyticsWrite(StreamId, ChannelId);
