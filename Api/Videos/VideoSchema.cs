using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Videos;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Videos;

/// <summary>Past broadcasts: a channel's videos, one video with its chat replay, and their removal by the owner.</summary>
public sealed class VideoSchema(IClusterClient cluster) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<VideoConnectionType>>("videos")
            .Description("A channel's past broadcasts, newest first.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<VideoInfo>.From(await cluster.GetGrain<IVideoDirectoryGrain>(0).ChannelVideosAsync(
                Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<VideoType>("video")
            .Description("A past broadcast by id; null when there is none (or it is still being recorded).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await cluster.GetGrain<IVideoGrain>(Ids.Parse(ctx.GetArgument<string>("id"), "id")).GetAsync() is { Status: VideoStatus.Ready } video
                ? video
                : null);
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteVideo")
            .Description("Removes one of your past broadcasts and its files. Someone else's: FORBIDDEN; still recording: CONFLICT.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.WgUser().RequirePrincipal().UserId;
                await cluster.GetGrain<IVideoGrain>(Ids.Parse(ctx.GetArgument<string>("id"), "id")).DeleteAsync(me);
                return true;
            });
    }
}
