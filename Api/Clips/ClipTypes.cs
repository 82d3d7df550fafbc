using GraphQL;
using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.Api.Videos;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Clips;
using WgStream.GrainInterfaces.Videos;

namespace WgStream.Api.Clips;

public sealed class ClipType : ObjectGraphType<ClipInfo>
{
    public ClipType(IClusterClient cluster)
    {
        Name = "Clip";
        Description = "A few seconds of a broadcast copied into an MP4 of its own: it stays when the past broadcast it came from is deleted.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<ChannelType>("channel").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ChannelId).GetAsync());
        Field<NonNullGraphType<IdGraphType>>("videoId").Description("The broadcast (video) it was cut from, whether or not that video still exists.").Resolve(ctx => ctx.Source.VideoId);
        Field<VideoType>("video")
            .Description("The past broadcast it was cut from, while it exists and is ready (null while still live, or once deleted).")
            .ResolveAsync(async ctx => await cluster.GetGrain<IVideoGrain>(ctx.Source.VideoId).GetAsync() is { Status: VideoStatus.Ready } video ? video : null);
        Field<NonNullGraphType<IdGraphType>>("creatorId").Resolve(ctx => ctx.Source.CreatorId);
        Field<ChannelType>("creator").Description("Who made it (null once their account is gone).").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.CreatorId).GetAsync());
        Field(x => x.Title);
        Field(x => x.FromLive).Description("Made from the live stream (its last seconds) rather than from a past broadcast.");
        Field<NonNullGraphType<FloatGraphType>>("offsetSeconds")
            .Description("Where it starts in its video, in seconds on the recording's clock (as the video page counts).")
            .Resolve(ctx => Math.Round(ctx.Source.Offset.TotalSeconds, 3));
        Field<NonNullGraphType<FloatGraphType>>("durationSeconds")
            .Description("Its length: as asked while processing, as cut once ready.")
            .Resolve(ctx => Math.Round(ctx.Source.Duration.TotalSeconds, 3));
        Field<NonNullGraphType<ClipStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field(x => x.FailureReason, nullable: true).Description("Why it could not be made (FAILED only).");
        Field(x => x.VideoUrl, nullable: true).Description("The MP4 (H.264 and AAC as broadcast, index in front), once ready.");
        Field(x => x.ThumbnailUrl, nullable: true).Description("640×360 WebP, a frame from about its middle; null when none could be taken.");
        Field(x => x.ViewCount).Description("Views counted by viewClip (each viewer once while the clip is in memory; written every Clips:ViewFlushInterval).");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<NonNullGraphType<BooleanGraphType>>("viewerCanDelete")
            .Description("Whether you may delete it: its creator, the channel's broadcaster and its moderators.")
            .DependsOnViewer()
            .ResolveAsync(async ctx => ctx.WgUser().Principal is { } me
                && (me.UserId == ctx.Source.CreatorId
                    || await cluster.GetGrain<IChatRoomGrain>(ctx.Source.ChannelId).GetStandingAsync(me.UserId) is { } standing
                        && (standing.IsBroadcaster || standing.IsModerator)));
    }
}

public sealed class ClipStatusType : EnumerationGraphType<ClipStatus>
{
    public ClipStatusType() => Name = "ClipStatus";
}

public sealed class ClipOrderType : EnumerationGraphType<ClipOrder>
{
    public ClipOrderType() => Name = "ClipOrder";
}

public sealed class ClipEdgeType : EdgeType<ClipType, ClipInfo>
{
    public ClipEdgeType()
        : base("ClipEdge")
    {
    }
}

public sealed class ClipConnectionType : ConnectionType<ClipEdgeType, ClipInfo>
{
    public ClipConnectionType()
        : base("ClipConnection")
    {
    }
}
