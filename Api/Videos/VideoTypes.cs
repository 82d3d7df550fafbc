using GraphQL;
using GraphQL.Types;
using WgStream.Api.Accounts;
using WgStream.Api.Channels;
using WgStream.Api.Chat;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Videos;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Videos;

public sealed class VideoType : ObjectGraphType<VideoInfo>
{
    /// <summary>A page of chat lines with every field stays within GraphQL:MaxComplexity (a line scores about 70).</summary>
    public const int DefaultChatPage = 25;

    public VideoType(IClusterClient cluster, ViewerBlocks blocks)
    {
        Name = "Video";
        Description = "A past broadcast: its recording, playable as HLS (VOD), and its chat.";
        Field<NonNullGraphType<IdGraphType>>("id").Description("The broadcast's (stream) id.").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<ChannelType>("channel").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ChannelId).GetAsync());
        Field(x => x.Title).Description("The broadcast's title when it ended.");
        Field<StringGraphType>("category").Description("A category slug.").Resolve(ctx => ctx.Source.CategorySlug);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startedAt").Description("The wall-clock time of the first recorded frame; chat offsets count from it.").Resolve(ctx => ctx.Source.StartedAt);
        Field<DateTimeOffsetGraphType>("endedAt").Resolve(ctx => ctx.Source.EndedAt);
        Field<NonNullGraphType<FloatGraphType>>("durationSeconds").Resolve(ctx => Math.Round(ctx.Source.Duration.TotalSeconds, 3));
        Field<NonNullGraphType<VideoStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field(x => x.PlaylistUrl, nullable: true).Description("The HLS VOD playlist; null while recording.");
        Field(x => x.ThumbnailUrl, nullable: true).Description("640×360 WebP, a frame from about a minute in.");
        Field<NonNullGraphType<ChatReplayConnectionType>>("chat")
            .Description("The chat of the broadcast in the order it was sent, from `fromSeconds` into the recording (or after a cursor); deleted messages, users banned from the room and users you blocked are left out.")
            .DependsOnViewer()
            .Argument<FloatGraphType>("fromSeconds", arg => arg.DefaultValue = 0.0)
            .Argument<StringGraphType>("after")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = DefaultChatPage)
            .ResolveAsync(async ctx =>
            {
                var seconds = ctx.GetArgument<double>("fromSeconds");
                if (!double.IsFinite(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(7).TotalSeconds)
                {
                    throw GrainInterfaces.Common.WgException.BadInput("fromSeconds must be a position in the recording.", "fromSeconds");
                }

                var page = await cluster.GetGrain<IChatReplayGrain>(0).ReplayAsync(
                    ctx.Source.Id, TimeSpan.FromSeconds(seconds), ctx.GetArgument<string?>("after"), ctx.GetArgument<int>("first"));
                // The replay leaves out what the viewer blocked, as live chat did.
                var blocked = ctx.WgUser().Principal is { } me ? await blocks.CurrentAsync(me.UserId) : null;
                return new Connection<ReplayedMessage>(
                    [.. page.Messages.Where(m => blocked is null || !blocked.Contains(m.Message.SenderId)).Select(m => new ConnectionEdge<ReplayedMessage>(m.Cursor, m))],
                    page.HasMore,
                    page.Messages.Count > 0 ? page.Messages[^1].Cursor : null);
            });
    }
}

public sealed class VideoStatusType : EnumerationGraphType<VideoStatus>
{
    public VideoStatusType() => Name = "VideoStatus";
}

public sealed class VideoEdgeType : EdgeType<VideoType, VideoInfo>
{
    public VideoEdgeType()
        : base("VideoEdge")
    {
    }
}

public sealed class VideoConnectionType : ConnectionType<VideoEdgeType, VideoInfo>
{
    public VideoConnectionType()
        : base("VideoConnection")
    {
    }
}

public sealed class ChatReplayEdgeType : ObjectGraphType<ConnectionEdge<ReplayedMessage>>
{
    public ChatReplayEdgeType()
    {
        Name = "ChatReplayEdge";
        Field(x => x.Cursor);
        Field<NonNullGraphType<FloatGraphType>>("offsetSeconds")
            .Description("When in the recording the message was sent.")
            .Resolve(ctx => Math.Round(ctx.Source.Node.Offset.TotalSeconds, 3));
        Field<NonNullGraphType<ChatMessageType>>("node").Resolve(ctx => ctx.Source.Node.Message);
    }
}

public sealed class ChatReplayConnectionType : ConnectionType<ChatReplayEdgeType, ReplayedMessage>
{
    public ChatReplayConnectionType()
        : base("ChatReplayConnection")
    {
    }
}
