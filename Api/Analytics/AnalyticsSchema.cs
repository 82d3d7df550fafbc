using GraphQL;
using GraphQL.Types;
using WgStream.Api.Auth;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Analytics;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Analytics;

/// <summary>
/// Creator analytics (a broadcast's summary and series, a channel's broadcasts and its last days) for
/// the channel's owner and operators, and the platform's activity for operators (docs/analytics.md).
/// </summary>
public sealed class AnalyticsSchema(IClusterClient cluster, Operators operators) : ISchemaContributor
{
    private IAnalyticsReaderGrain Reader => cluster.GetGrain<IAnalyticsReaderGrain>(0);

    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<BroadcastAnalyticsType>>("broadcastAnalytics")
            .Description("One broadcast's summary and series; for its channel's owner and operators (FORBIDDEN otherwise, NOT_FOUND when there is no such broadcast).")
            .Argument<NonNullGraphType<IdGraphType>>("streamId")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                var streamId = Ids.Parse(ctx.GetArgument<string>("streamId"), "streamId");
                var interval = Reader.SampleIntervalAsync();
                var summary = await Reader.SummaryAsync(streamId) ?? throw WgException.NotFound("No such broadcast.");
                await RequireOwnerOrOperatorAsync(me, summary.ChannelId);
                return new BroadcastAnalyticsView(summary, await interval);
            });

        query.Field<NonNullGraphType<BroadcastSummaryConnectionType>>("channelBroadcasts")
            .Description("A channel's broadcasts that started in [from, to) (either left out: open), newest first, with their summaries; for the owner and operators.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<DateTimeOffsetGraphType>("from")
            .Argument<DateTimeOffsetGraphType>("to")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                var channelId = Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");
                await RequireOwnerOrOperatorAsync(me, channelId);
                return Connection<BroadcastSummary>.From(await Reader.ChannelBroadcastsAsync(
                    channelId, ctx.GetArgument<DateTimeOffset?>("from"), ctx.GetArgument<DateTimeOffset?>("to"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after")));
            });

        query.Field<NonNullGraphType<ChannelAnalyticsType>>("channelAnalytics")
            .Description($"A channel's last `days` days (1–{AnalyticsLimits.MaxOverviewDays}, today included) in `timeZone` (an IANA name), in total and per day; for the owner and operators.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("days", arg => arg.DefaultValue = 30)
            .Argument<StringGraphType>("timeZone", arg => arg.DefaultValue = "UTC")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                var channelId = Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");
                await RequireOwnerOrOperatorAsync(me, channelId);
                return await Reader.ChannelOverviewAsync(channelId, ctx.GetArgument<int>("days"), ctx.GetArgument<string?>("timeZone") ?? "UTC");
            });

        query.Field<NonNullGraphType<PlatformActivityType>>("platformActivity")
            .Description("Live channels, viewers, chat messages per second and ingest health over the last `minutes` (1–1440), one point per sample interval; operators only.")
            .Argument<IntGraphType>("minutes", arg => arg.DefaultValue = 60)
            .ResolveAsync(async ctx =>
            {
                await operators.RequireAsync(ctx.WgUser().RequirePrincipal().UserId);
                return await Reader.PlatformActivityAsync(ctx.GetArgument<int>("minutes"));
            });
    }

    /// <summary>The channel's owner, or an operator (listed, with 2FA); FORBIDDEN for anyone else.</summary>
    private async Task RequireOwnerOrOperatorAsync(Guid me, Guid channelId)
    {
        if (me != channelId && await operators.AccessAsync(me) != OperatorAccess.Granted)
        {
            throw WgException.Forbidden("Only the channel's owner can see its analytics.");
        }
    }
}
