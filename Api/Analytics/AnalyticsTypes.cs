using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Analytics;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Api.Analytics;

public sealed class MoneyAmountType : ObjectGraphType<MoneyAmount>
{
    public MoneyAmountType()
    {
        Name = "MoneyAmount";
        Field<NonNullGraphType<LongGraphType>>("amount").Description("In minor units of the currency (cents: 500 = 5.00).").Resolve(ctx => ctx.Source.Amount);
        Field(x => x.Currency).Description("Lower-case ISO 4217 code.");
    }
}

public sealed class BroadcastSummaryType : ObjectGraphType<BroadcastSummary>
{
    public BroadcastSummaryType()
    {
        Name = "BroadcastSummary";
        Description = "How a broadcast went. Viewer figures integrate the concurrent viewers over the sampled time; chat, sponsors and revenue are exact counts over the broadcast's time. A live broadcast's viewer figures run to its last sample.";
        Field<NonNullGraphType<IdGraphType>>("streamId").Description("The broadcast (Stream.id; Video.id when it was recorded).").Resolve(ctx => ctx.Source.StreamId);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field(x => x.Title);
        Field<StringGraphType>("category").Description("A category slug.").Resolve(ctx => ctx.Source.CategorySlug);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startedAt").Resolve(ctx => ctx.Source.StartedAt);
        Field<DateTimeOffsetGraphType>("endedAt").Resolve(ctx => ctx.Source.EndedAt);
        Field<NonNullGraphType<BooleanGraphType>>("live").Resolve(ctx => ctx.Source.IsLive);
        Field<NonNullGraphType<BooleanGraphType>>("final").Description("Whether the figures are final: the broadcast has ended and its last sample and exact totals are written, which its silo does within seconds of the end. Until then the viewer figures may still grow; chat and sales are already exact.").Resolve(ctx => ctx.Source.Final);
        Field<NonNullGraphType<FloatGraphType>>("durationSeconds").Description("From start to end (to now while live).").Resolve(ctx => Math.Round(ctx.Source.Duration.TotalSeconds, 3));
        Field<NonNullGraphType<FloatGraphType>>("sampledSeconds").Description("How much of it the samples cover (less than the duration while live, or where a sample was lost).").Resolve(ctx => Math.Round(ctx.Source.Sampled.TotalSeconds, 3));
        Field<NonNullGraphType<IntGraphType>>("samples").Resolve(ctx => ctx.Source.Samples);
        Field<NonNullGraphType<IntGraphType>>("peakViewers").Resolve(ctx => ctx.Source.PeakViewers);
        Field<NonNullGraphType<FloatGraphType>>("averageViewers").Description("Minutes watched over minutes sampled.").Resolve(ctx => Math.Round(ctx.Source.AverageViewers, 2));
        Field<NonNullGraphType<FloatGraphType>>("minutesWatched").Resolve(ctx => Math.Round(ctx.Source.MinutesWatched, 2));
        Field<NonNullGraphType<IntGraphType>>("chatMessages").Resolve(ctx => (int)Math.Min(int.MaxValue, ctx.Source.ChatMessages));
        Field<NonNullGraphType<IntGraphType>>("chatters").Description("Distinct people who chatted.").Resolve(ctx => ctx.Source.Chatters);
        Field<NonNullGraphType<IntGraphType>>("follows").Description("New followers (each once a day).").Resolve(ctx => ctx.Source.Follows);
        Field<NonNullGraphType<IntGraphType>>("newSponsors").Description("Completed sponsorship checkouts.").Resolve(ctx => ctx.Source.NewSponsors);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MoneyAmountType>>>>("revenue").Description("Payments that succeeded (checkouts and renewals), per currency.").Resolve(ctx => ctx.Source.Revenue);
    }
}

public sealed class BroadcastSampleType : ObjectGraphType<BroadcastSample>
{
    public BroadcastSampleType()
    {
        Name = "BroadcastSample";
        Description = "One point of a broadcast's series: the span from `at` lasting `durationSeconds` (one sample interval; partial at the start and end; several when the series was thinned).";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field<NonNullGraphType<FloatGraphType>>("durationSeconds").Resolve(ctx => Math.Round(ctx.Source.Duration.TotalSeconds, 3));
        Field<NonNullGraphType<IntGraphType>>("viewers").Description("Concurrent viewers at the span's end.").Resolve(ctx => ctx.Source.Viewers);
        Field<NonNullGraphType<IntGraphType>>("peakViewers").Resolve(ctx => ctx.Source.PeakViewers);
        Field<NonNullGraphType<FloatGraphType>>("averageViewers").Description("Concurrent viewers averaged over the span.").Resolve(ctx => Math.Round(ctx.Source.AverageViewers, 2));
        Field<NonNullGraphType<IntGraphType>>("chatMessages").Resolve(ctx => ctx.Source.ChatMessages);
        Field<NonNullGraphType<IntGraphType>>("chatters").Description("Distinct people who chatted in the span (for a merged point, the most of its samples).").Resolve(ctx => ctx.Source.Chatters);
        Field<NonNullGraphType<IntGraphType>>("follows").Resolve(ctx => ctx.Source.Follows);
        Field<NonNullGraphType<IntGraphType>>("newSponsors").Resolve(ctx => ctx.Source.NewSponsors);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MoneyAmountType>>>>("revenue").Resolve(ctx => ctx.Source.Revenue);
    }
}

/// <summary>A broadcast the caller may read: its summary, and its series on demand.</summary>
public sealed record BroadcastAnalyticsView(BroadcastSummary Summary, TimeSpan Interval);

public sealed class BroadcastAnalyticsType : ObjectGraphType<BroadcastAnalyticsView>
{
    public BroadcastAnalyticsType(IClusterClient cluster)
    {
        Name = "BroadcastAnalytics";
        Field<NonNullGraphType<BroadcastSummaryType>>("summary").Resolve(ctx => ctx.Source.Summary);
        Field<NonNullGraphType<IntGraphType>>("sampleIntervalSeconds").Resolve(ctx => (int)ctx.Source.Interval.TotalSeconds);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<BroadcastSampleType>>>>("series")
            .Description($"The samples, oldest first; a longer series is thinned to `maxPoints` (1–{AnalyticsLimits.MaxSeriesPoints}) by merging neighbours.")
            .Argument<IntGraphType>("maxPoints", arg => arg.DefaultValue = 720)
            .ResolveAsync(async ctx => await cluster.GetGrain<IAnalyticsReaderGrain>(0).SeriesAsync(ctx.Source.Summary.StreamId, ctx.GetArgument<int>("maxPoints")));
    }
}

public sealed class BroadcastSummaryEdgeType : EdgeType<BroadcastSummaryType, BroadcastSummary>
{
    public BroadcastSummaryEdgeType()
        : base("BroadcastSummaryEdge")
    {
    }
}

public sealed class BroadcastSummaryConnectionType : ConnectionType<BroadcastSummaryEdgeType, BroadcastSummary>
{
    public BroadcastSummaryConnectionType()
        : base("BroadcastSummaryConnection")
    {
    }
}

public sealed class AnalyticsTotalsType : ObjectGraphType<ChannelTotals>
{
    public AnalyticsTotalsType()
    {
        Name = "AnalyticsTotals";
        Description = "Broadcasts added up. averageViewers is minutes watched over minutes sampled.";
        Field<NonNullGraphType<IntGraphType>>("broadcasts").Resolve(ctx => ctx.Source.Broadcasts);
        Field<NonNullGraphType<FloatGraphType>>("hoursStreamed").Resolve(ctx => Math.Round(ctx.Source.Streamed.TotalHours, 3));
        Field<NonNullGraphType<FloatGraphType>>("minutesWatched").Resolve(ctx => Math.Round(ctx.Source.MinutesWatched, 2));
        Field<NonNullGraphType<FloatGraphType>>("averageViewers").Resolve(ctx => Math.Round(ctx.Source.AverageViewers, 2));
        Field<NonNullGraphType<IntGraphType>>("peakViewers").Resolve(ctx => ctx.Source.PeakViewers);
        Field<NonNullGraphType<IntGraphType>>("chatMessages").Resolve(ctx => (int)Math.Min(int.MaxValue, ctx.Source.ChatMessages));
        Field<NonNullGraphType<IntGraphType>>("follows").Resolve(ctx => ctx.Source.Follows);
        Field<NonNullGraphType<IntGraphType>>("newSponsors").Resolve(ctx => ctx.Source.NewSponsors);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MoneyAmountType>>>>("revenue").Resolve(ctx => ctx.Source.Revenue);
    }
}

public sealed class AnalyticsDayType : ObjectGraphType<ChannelDay>
{
    public AnalyticsDayType()
    {
        Name = "AnalyticsDay";
        Field<NonNullGraphType<StringGraphType>>("date").Description("YYYY-MM-DD in the overview's time zone; a broadcast counts on the day it started.")
            .Resolve(ctx => ctx.Source.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        Field<NonNullGraphType<AnalyticsTotalsType>>("totals").Resolve(ctx => ctx.Source.Totals);
    }
}

public sealed class ChannelAnalyticsType : ObjectGraphType<ChannelAnalytics>
{
    public ChannelAnalyticsType()
    {
        Name = "ChannelAnalytics";
        Description = "A channel's broadcasts over the last days, in total and per day.";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("from").Description("The first day's start in the time zone.").Resolve(ctx => ctx.Source.From);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("to").Resolve(ctx => ctx.Source.To);
        Field(x => x.TimeZone);
        Field<NonNullGraphType<AnalyticsTotalsType>>("totals").Resolve(ctx => ctx.Source.Totals);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AnalyticsDayType>>>>("days").Description("Every day of the range, oldest first, empty ones included.").Resolve(ctx => ctx.Source.Days);
    }
}

public sealed class PlatformActivityPointType : ObjectGraphType<PlatformPoint>
{
    public PlatformActivityPointType()
    {
        Name = "PlatformActivityPoint";
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Description("The sample interval's start.").Resolve(ctx => ctx.Source.At);
        Field<NonNullGraphType<IntGraphType>>("liveChannels").Description("Broadcasts live in the interval.").Resolve(ctx => ctx.Source.LiveChannels);
        Field<NonNullGraphType<FloatGraphType>>("viewers").Description("Concurrent viewers of all of them, averaged over the interval.").Resolve(ctx => Math.Round(ctx.Source.Viewers, 2));
        Field<NonNullGraphType<FloatGraphType>>("chatMessagesPerSecond").Resolve(ctx => Math.Round(ctx.Source.ChatMessagesPerSecond, 3));
        Field<NonNullGraphType<IntGraphType>>("lateHeartbeats").Description($"Broadcasts whose RTMP ingest had sent no heartbeat for over {AnalyticsLimits.LateHeartbeatMs / 1000} s when sampled.").Resolve(ctx => ctx.Source.LateHeartbeats);
        Field<NonNullGraphType<IntGraphType>>("fellBack").Description("Broadcasts whose HLS quality ladder had fallen back to passthrough.").Resolve(ctx => ctx.Source.FellBack);
    }
}

public sealed class PlatformActivityType : ObjectGraphType<PlatformActivity>
{
    public PlatformActivityType()
    {
        Name = "PlatformActivity";
        Field<NonNullGraphType<IntGraphType>>("intervalSeconds").Resolve(ctx => (int)ctx.Source.Interval.TotalSeconds);
        Field<NonNullGraphType<IntGraphType>>("liveChannelsNow").Description("As the live directory has it now.").Resolve(ctx => ctx.Source.LiveChannelsNow);
        Field<NonNullGraphType<IntGraphType>>("viewersNow").Description("As the live directory has it now (flushed every few seconds).").Resolve(ctx => ctx.Source.ViewersNow);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<PlatformActivityPointType>>>>("points").Description("Every complete interval of the range, oldest first (zeros where nothing was live).").Resolve(ctx => ctx.Source.Points);
    }
}
