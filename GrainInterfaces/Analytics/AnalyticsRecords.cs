using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.GrainInterfaces.Analytics;

/// <summary>
/// How one broadcast went. <see cref="AverageViewers"/> and <see cref="MinutesWatched"/> integrate
/// the concurrent viewers over the sampled time (<see cref="Sampled"/>), not snapshots; a live
/// broadcast's figures run to its last sample. Chat messages, chatters, new sponsors and revenue are
/// counted exactly from the chat and the ledger over the broadcast's time. <see cref="Final"/> once
/// the broadcast has ended and its last sample and totals are written; until then figures may grow.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BroadcastSummary(
    Guid StreamId,
    Guid ChannelId,
    string Title,
    string? CategorySlug,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    TimeSpan Duration,
    TimeSpan Sampled,
    int Samples,
    int PeakViewers,
    double AverageViewers,
    double MinutesWatched,
    long ChatMessages,
    int Chatters,
    int Follows,
    int NewSponsors,
    IReadOnlyList<MoneyAmount> Revenue,
    bool Final)
{
    public bool IsLive => EndedAt is null;
}

/// <summary>
/// One point of a broadcast's series: the span from <see cref="At"/> lasting <see cref="Duration"/>
/// (one sample interval, or a part of one at the start and end; a merged run of samples when the
/// series was thinned to fit).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record BroadcastSample(
    DateTimeOffset At,
    TimeSpan Duration,
    int Viewers,
    int PeakViewers,
    double AverageViewers,
    int ChatMessages,
    int Chatters,
    int Follows,
    int NewSponsors,
    IReadOnlyList<MoneyAmount> Revenue);

/// <summary>A channel's broadcasts that started in [<see cref="From"/>, <see cref="To"/>), in total and per day of <see cref="TimeZone"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelAnalytics(
    DateTimeOffset From,
    DateTimeOffset To,
    string TimeZone,
    ChannelTotals Totals,
    IReadOnlyList<ChannelDay> Days);

/// <summary>Broadcasts added up; the average viewers are minutes watched over minutes sampled.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelTotals(
    int Broadcasts,
    TimeSpan Streamed,
    double MinutesWatched,
    double AverageViewers,
    int PeakViewers,
    long ChatMessages,
    int Follows,
    int NewSponsors,
    IReadOnlyList<MoneyAmount> Revenue);

/// <summary>The broadcasts that started on one day (a broadcast over midnight counts on its first day).</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelDay(DateOnly Date, ChannelTotals Totals);

/// <summary>The whole platform over the last minutes, one point per sample interval, and what is live now.</summary>
[GenerateSerializer, Immutable]
public sealed record PlatformActivity(TimeSpan Interval, int LiveChannelsNow, int ViewersNow, IReadOnlyList<PlatformPoint> Points);

/// <summary>
/// One sample interval of the platform: broadcasts live in it, their average concurrent viewers
/// together, chat messages per second, and how many broadcasts had an ingest problem when sampled
/// (no nginx-rtmp heartbeat for over 20 s, or the HLS ladder fell back to passthrough).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PlatformPoint(DateTimeOffset At, int LiveChannels, double Viewers, double ChatMessagesPerSecond, int LateHeartbeats, int FellBack);
