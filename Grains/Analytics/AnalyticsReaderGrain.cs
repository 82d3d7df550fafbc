using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using WgStream.GrainInterfaces.Analytics;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Common;
using WgStream.Grains.Sponsorship;

namespace WgStream.Grains.Analytics;

/// <summary>
/// Answers analytics reads from PostgreSQL. An ended broadcast is read from its stored totals; one
/// whose end was never finalized (it predates analytics, or its silo stopped) is finalized on the
/// way; a live one gets its exact chat and sales totals counted up to now (one indexed range each).
/// </summary>
[StatelessWorker]
public sealed class AnalyticsReaderGrain(
    AnalyticsStore store,
    BroadcastFinalizer finalizer,
    SponsorSalesStore sales,
    IOptions<AnalyticsOptions> options,
    TimeProvider clock) : Grain, IAnalyticsReaderGrain
{
    /// <summary>Broadcasts an overview adds up at most (over 400 days that is a dozen a day).</summary>
    public const int MaxOverviewBroadcasts = 5000;

    /// <summary>Broadcasts from before analytics an overview finalizes on the way at most; the next overview does more.</summary>
    private const int OverviewFinalizations = 50;

    private AnalyticsOptions Options => options.Value;

    public async Task<BroadcastSummary?> SummaryAsync(Guid streamId) =>
        await store.SummaryAsync(streamId) is { } row ? await SummaryOfAsync(row) : null;

    public async Task<IReadOnlyList<BroadcastSample>> SeriesAsync(Guid streamId, int maxPoints)
    {
        if (maxPoints is < 1 or > AnalyticsLimits.MaxSeriesPoints)
        {
            throw WgException.BadInput($"maxPoints must be between 1 and {AnalyticsLimits.MaxSeriesPoints}.", "maxPoints");
        }

        if (await store.SummaryAsync(streamId) is not { } row)
        {
            return [];
        }

        var samples = await store.SamplesAsync(streamId, row.StartedAt, row.EndedAt);
        var size = (samples.Count + maxPoints - 1) / maxPoints;
        return size <= 1 ? [.. samples.Select(Point)] : [.. samples.Chunk(size).Select(Merge)];
    }

    public async Task<Page<BroadcastSummary>> ChannelBroadcastsAsync(Guid channelId, DateTimeOffset? from, DateTimeOffset? to, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        if (from is { } f && to is { } t && t <= f)
        {
            throw WgException.BadInput("to must be after from.", "to");
        }

        (DateTimeOffset, Guid)? position = after is null ? null : Cursor.DecodeTimeAndId(after);

        var rows = await store.ChannelSummariesAsync(channelId, from, to, position, size + 1);
        var edges = new List<Edge<BroadcastSummary>>();
        foreach (var row in rows.Take(size))
        {
            edges.Add(new Edge<BroadcastSummary>(Cursor.EncodeTimeAndId(row.StartedAt, row.StreamId), await SummaryOfAsync(row)));
        }

        return new Page<BroadcastSummary>(edges, rows.Count > size);
    }

    public async Task<ChannelAnalytics> ChannelOverviewAsync(Guid channelId, int days, string timeZone)
    {
        if (days is < 1 or > AnalyticsLimits.MaxOverviewDays)
        {
            throw WgException.BadInput($"days must be between 1 and {AnalyticsLimits.MaxOverviewDays}.", "days");
        }

        if (string.IsNullOrWhiteSpace(timeZone) || timeZone.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            throw WgException.BadInput("timeZone must be a time zone name such as Europe/Kyiv.", "timeZone");
        }

        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var firstDay = today.AddDays(1 - days);
        var from = StartOfDay(firstDay, zone);
        var rows = await store.ChannelSummariesAsync(channelId, from, null, null, MaxOverviewBroadcasts);

        var finalized = 0;
        var summaries = new List<BroadcastSummary>(rows.Count);
        foreach (var row in rows)
        {
            var current = row;
            if (LostEnd(row, now) is { } lost && finalized++ < OverviewFinalizations)
            {
                await finalizer.FinalizeAsync(lost);
                current = await store.SummaryAsync(row.StreamId) ?? row;
            }

            // A live or just-ended broadcast counts as far as its samples go (its exact totals are on its own summary).
            summaries.Add(Summary(current, now, null, null));
        }

        var byDay = summaries.ToLookup(s => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(s.StartedAt, zone).DateTime));
        var perDay = new List<ChannelDay>(days);
        for (var day = firstDay; day <= today; day = day.AddDays(1))
        {
            perDay.Add(new ChannelDay(day, Totals(byDay[day])));
        }

        return new ChannelAnalytics(from, now, zone.Id, Totals(summaries), perDay);
    }

    public async Task<PlatformActivity> PlatformActivityAsync(int minutes)
    {
        if (minutes is < 1 or > 1440)
        {
            throw WgException.BadInput("minutes must be between 1 and 1440.", "minutes");
        }

        var interval = Options.SampleInterval;
        var now = clock.GetUtcNow();
        // An interval is complete once its samples are collected and written.
        var lastComplete = Options.GridPoint(now - Options.CollectDelay - Options.WriteDelay - TimeSpan.FromSeconds(1)) - interval;
        var first = Options.GridPoint(now - TimeSpan.FromMinutes(minutes));
        var rows = (await store.PlatformActivityAsync(first)).ToDictionary(r => r.Bucket);
        var points = new List<PlatformPoint>();
        for (var at = first; at <= lastComplete; at += interval)
        {
            points.Add(rows.TryGetValue(at, out var row)
                ? new PlatformPoint(at, row.Broadcasts, row.ViewerMs / interval.TotalMilliseconds, row.ChatMessages / interval.TotalSeconds, row.LateHeartbeats, row.FellBack)
                : new PlatformPoint(at, 0, 0, 0, 0, 0));
        }

        var (channels, viewers) = await store.LiveNowAsync();
        return new PlatformActivity(interval, channels, viewers, points);
    }

    public Task<TimeSpan> SampleIntervalAsync() => Task.FromResult(Options.SampleInterval);

    private async Task<BroadcastSummary> SummaryOfAsync(SummaryRow row)
    {
        var now = clock.GetUtcNow();
        if (row.FinalizedAt is not null)
        {
            return Summary(row, now, null, null);
        }

        if (LostEnd(row, now) is { } lost)
        {
            await finalizer.FinalizeAsync(lost);
            return Summary(await store.SummaryAsync(row.StreamId) ?? row, now, null, null);
        }

        // Live, or ended a moment ago with its last sample and totals still on their way from its
        // silo's writer: the exact chat and sales are counted up to the end (or now), unstored.
        var until = row.EndedAt ?? now;
        var chat = store.ChatTotalsAsync(row.ChannelId, row.StartedAt, until);
        var sold = sales.SalesAsync(row.ChannelId, row.StartedAt, until);
        return Summary(row, now, await chat, await sold);
    }

    /// <summary>
    /// The end to finalize on the way, when nobody finalized it within the grace (its silo stopped,
    /// or it predates analytics); null for a live broadcast, a final one, or a fresher end, which is
    /// its writer's to finalize.
    /// </summary>
    private static BroadcastEnded? LostEnd(SummaryRow row, DateTimeOffset now) =>
        row is { EndedAt: { } endedAt, FinalizedAt: null } && now - endedAt >= BroadcastFinalizer.EndGrace
            ? new BroadcastEnded(row.StreamId, row.ChannelId, row.StartedAt, endedAt)
            : null;

    private static BroadcastSummary Summary(SummaryRow row, DateTimeOffset now, ChatActivity? liveChat, SponsorSales? liveSales)
    {
        var end = row.EndedAt ?? now;
        return new BroadcastSummary(
            row.StreamId,
            row.ChannelId,
            row.Title,
            row.CategorySlug,
            row.StartedAt,
            row.EndedAt,
            end > row.StartedAt ? end - row.StartedAt : TimeSpan.Zero,
            TimeSpan.FromMilliseconds(row.DurationMs),
            row.Samples,
            Math.Max(row.StreamPeakViewers, row.SamplePeakViewers),
            row.DurationMs > 0 ? (double)row.ViewerMs / row.DurationMs : 0,
            row.ViewerMs / 60_000.0,
            liveChat?.Messages ?? row.ChatMessages,
            liveChat?.Chatters ?? row.Chatters ?? 0,
            row.Follows,
            liveSales?.NewSponsors ?? row.NewSponsors ?? 0,
            liveSales?.Revenue ?? row.Revenue,
            row.FinalizedAt is not null);
    }

    private static ChannelTotals Totals(IEnumerable<BroadcastSummary> summaries)
    {
        var list = summaries as IReadOnlyCollection<BroadcastSummary> ?? [.. summaries];
        var sampledMs = list.Sum(s => s.Sampled.TotalMilliseconds);
        var minutes = list.Sum(s => s.MinutesWatched);
        return new ChannelTotals(
            list.Count,
            TimeSpan.FromTicks(list.Sum(s => s.Duration.Ticks)),
            minutes,
            sampledMs > 0 ? minutes * 60_000 / sampledMs : 0,
            list.Count == 0 ? 0 : list.Max(s => s.PeakViewers),
            list.Sum(s => s.ChatMessages),
            list.Sum(s => s.Follows),
            list.Sum(s => s.NewSponsors),
            AddUp(list.SelectMany(s => s.Revenue)));
    }

    private static BroadcastSample Point(StoredSample s) => new(
        s.At,
        TimeSpan.FromMilliseconds(s.DurationMs),
        s.Viewers,
        s.PeakViewers,
        (double)s.ViewerMs / s.DurationMs,
        s.ChatMessages,
        s.Chatters,
        s.Follows,
        s.NewSponsors,
        s.Revenue);

    /// <summary>Neighbouring samples as one point: counts add up, viewers average over the time, chatters (not additive) the most of any one sample.</summary>
    private static BroadcastSample Merge(StoredSample[] run)
    {
        var durationMs = run.Sum(s => (long)s.DurationMs);
        return new BroadcastSample(
            run[0].At,
            TimeSpan.FromMilliseconds(durationMs),
            run[^1].Viewers,
            run.Max(s => s.PeakViewers),
            (double)run.Sum(s => s.ViewerMs) / durationMs,
            run.Sum(s => s.ChatMessages),
            run.Max(s => s.Chatters),
            run.Sum(s => s.Follows),
            run.Sum(s => s.NewSponsors),
            AddUp(run.SelectMany(s => s.Revenue)));
    }

    private static IReadOnlyList<MoneyAmount> AddUp(IEnumerable<MoneyAmount> amounts) =>
        [.. amounts.GroupBy(m => m.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new MoneyAmount(g.Sum(m => m.Amount), g.Key))];

    private static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        // Midnight that a DST change skips: the day starts at the first moment that exists.
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
