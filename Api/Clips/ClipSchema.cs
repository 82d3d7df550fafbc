using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Clips;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Clips;

/// <summary>Clips: made by signed-in viewers from a live stream or a past broadcast, listed per channel, deleted by their creator or the channel's moderators.</summary>
public sealed class ClipSchema(IClusterClient cluster) : ISchemaContributor
{
    /// <summary>A position past a week is no broadcast's: refused before any grain is asked.</summary>
    private static readonly TimeSpan LongestPosition = TimeSpan.FromDays(7);

    public void AddQueries(ObjectGraphType query)
    {
        query.Field<ClipType>("clip")
            .Description("A clip by id, in whatever state it is (poll it while PROCESSING); null when there is none.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await cluster.GetGrain<IClipGrain>(Ids.Parse(ctx.GetArgument<string>("id"), "id")).GetAsync());

        query.Field<NonNullGraphType<ClipConnectionType>>("clips")
            .Description("A channel's ready clips, newest first or most viewed first.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .Argument<ClipOrderType>("orderBy", arg => arg.DefaultValue = ClipOrder.Newest)
            .ResolveAsync(async ctx => Connection<ClipInfo>.From(await cluster.GetGrain<IClipDirectoryGrain>(0).ChannelClipsAsync(
                Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"),
                ctx.GetArgument<ClipOrder>("orderBy"),
                ctx.GetArgument<int>("first"),
                ctx.GetArgument<string?>("after"))));
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ClipType>>("createClip")
            .Description(
                "Clips a channel: without videoId, the last `seconds` of its live stream (the recording's finished segments, so it ends up "
                + "to a segment, 4 s by default, before now); with videoId, `seconds` from `fromSeconds` of that past broadcast (or of the "
                + "live one's recording so far). 5–60 s (default 30), a title of 1–100 characters. Answers with the clip READY (or FAILED) "
                + "once cut, normally within a second; after Clips:AnswerWithin it answers PROCESSING and the cut goes on (poll clip(id)). "
                + "Signed-in users only; RATE_LIMITED per account, BUSY when the server is cutting as many clips as it may.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IdGraphType>("videoId")
            .Argument<FloatGraphType>("fromSeconds")
            .Argument<IntGraphType>("seconds")
            .Argument<NonNullGraphType<StringGraphType>>("title")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                var channelId = Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");
                var videoId = Ids.ParseOptional(ctx.GetArgument<string?>("videoId"), "videoId");
                TimeSpan? from = null;
                if (ctx.GetArgument<double?>("fromSeconds") is { } seconds)
                {
                    from = double.IsFinite(seconds) && seconds >= 0 && seconds <= LongestPosition.TotalSeconds
                        ? TimeSpan.FromSeconds(seconds)
                        : throw WgException.BadInput("fromSeconds must be a position in the video.", "fromSeconds");
                }

                // An Int is at most 2^31 seconds, which TimeSpan holds; the grain checks the range.
                TimeSpan? length = ctx.GetArgument<int?>("seconds") is { } s ? TimeSpan.FromSeconds(s) : null;
                var request = new ClipRequest(channelId, videoId, from, length, ctx.GetArgument<string>("title"));
                return await cluster.GetGrain<IClipGrain>(Guid.NewGuid()).CreateAsync(me, request);
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteClip")
            .Description("Removes a clip and its files: its creator, the channel's broadcaster or a moderator. Anyone else: FORBIDDEN; still being cut: CONFLICT.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                await cluster.GetGrain<IClipGrain>(Ids.Parse(ctx.GetArgument<string>("id"), "id")).DeleteAsync(me);
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("viewClip")
            .Description("Counts a view of a ready clip (the clip page calls it when playback starts); each account, or address when signed out, once. Always true.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx =>
            {
                var user = ctx.WgUser();
                var viewer = user.Principal is { } me ? $"u:{me.UserId:N}" : user.Client.IpAddress is { } ip ? $"a:{ip}" : null;
                if (viewer is not null)
                {
                    await cluster.GetGrain<IClipGrain>(Ids.Parse(ctx.GetArgument<string>("id"), "id")).RecordViewAsync(viewer);
                }

                return true;
            });
    }
}
