using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Analytics;

/// <summary>
/// Creator and operator analytics, read from PostgreSQL (docs/analytics.md). A stateless worker: use
/// key 0. Who may read what is the caller's check (the Api: the channel's owner, or operators).
/// </summary>
public interface IAnalyticsReaderGrain : IGrainWithIntegerKey
{
    /// <summary>One broadcast's summary, or null when there is no such broadcast.</summary>
    [ReadOnly]
    Task<BroadcastSummary?> SummaryAsync(Guid streamId);

    /// <summary>
    /// The broadcast's samples, oldest first; when there are more than <paramref name="maxPoints"/>
    /// (1–2000), runs of neighbouring samples are merged so that at most that many come back.
    /// </summary>
    [ReadOnly]
    Task<IReadOnlyList<BroadcastSample>> SeriesAsync(Guid streamId, int maxPoints);

    /// <summary>The channel's broadcasts that started in [from, to) (either end open), newest first.</summary>
    [ReadOnly]
    Task<Page<BroadcastSummary>> ChannelBroadcastsAsync(Guid channelId, DateTimeOffset? from, DateTimeOffset? to, int first, string? after);

    /// <summary>The channel's last <paramref name="days"/> (1–400) days in <paramref name="timeZone"/> (an IANA name), totals and per day.</summary>
    [ReadOnly]
    Task<ChannelAnalytics> ChannelOverviewAsync(Guid channelId, int days, string timeZone);

    /// <summary>The platform over the last <paramref name="minutes"/> (1–1440), for operators.</summary>
    [ReadOnly]
    Task<PlatformActivity> PlatformActivityAsync(int minutes);

    /// <summary>The sample interval this cluster records with.</summary>
    [ReadOnly]
    Task<TimeSpan> SampleIntervalAsync();
}
