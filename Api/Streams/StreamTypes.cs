using GraphQL.Types;
using Microsoft.Extensions.Options;
using WgStream.Api.Streams.LiveKit;
using WgStream.GrainInterfaces.Streams;
using WgStream.Gateways.LiveKit;

namespace WgStream.Api.Streams;

/// <summary>The owner's dashboard view: where to point OBS and with which key.</summary>
public sealed record StreamSettingsView(
    Guid ChannelId,
    string Provider,
    string? IngestUrl,
    string? StreamKey,
    string? Title,
    string? Category,
    DateTimeOffset KeyRotatedAt,
    bool RecordBroadcasts,
    GrainInterfaces.Channels.ChannelClassification Classification);

public sealed class StreamSettingsType : ObjectGraphType<StreamSettingsView>
{
    public StreamSettingsType(IClusterClient cluster)
    {
        Name = "StreamSettings";
        Description = "Only ever shown to the channel owner.";
        Field(x => x.Provider).Description("NGINX (our RTMP ingest) or LIVEKIT (use createIngress for an ingest address).");
        Field(x => x.IngestUrl, nullable: true).Description("The RTMP server for OBS (Settings → Stream → Server); null with LiveKit.");
        Field(x => x.StreamKey, nullable: true).Description("The secret stream key for OBS; null with LiveKit.");
        Field(x => x.Title, nullable: true).Description("Null: the channel's display name is used.");
        Field(x => x.Category, nullable: true).Description("A category slug.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("keyRotatedAt").Resolve(ctx => ctx.Source.KeyRotatedAt);
        Field(x => x.RecordBroadcasts).Description("Whether your broadcasts are kept as past broadcasts (videos).");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("tags")
            .Description("Your channel's tags (Channel.tags).")
            .Resolve(ctx => ctx.Source.Classification.Tags);
        Field<StringGraphType>("language").Description("Your channel's language (Channel.language).").Resolve(ctx => ctx.Source.Classification.Language);
        Field<NonNullGraphType<BooleanGraphType>>("mature").Description("Your channel is marked for mature audiences (Channel.mature).").Resolve(ctx => ctx.Source.Classification.Mature);
        Field<StreamType>("liveStream")
            .Description("The broadcast live now, with what the HLS worker makes of it (transcode); null when offline.")
            .ResolveAsync(async ctx => await cluster.GetGrain<IBroadcasterGrain>(ctx.Source.ChannelId).GetLiveAsync());
    }
}

public sealed class StreamEndReasonType : EnumerationGraphType<StreamEndReason>
{
    public StreamEndReasonType() => Name = "StreamEndReason";
}

public sealed class IngestKindType : EnumerationGraphType<IngestKind>
{
    public IngestKindType() => Name = "IngestKind";
}

public sealed class StreamStatusKindType : EnumerationGraphType<StreamStatusKind>
{
    public StreamStatusKindType() => Name = "StreamStatusKind";
}

public sealed class StreamType : ObjectGraphType<StreamInfo>
{
    public StreamType(IOptions<StreamOptions> options, IClusterClient cluster)
    {
        Name = "Stream";
        Description = "One broadcast of a channel, live or past.";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field(x => x.Title);
        Field<StringGraphType>("category").Description("A category slug.").Resolve(ctx => ctx.Source.CategorySlug);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("startedAt").Resolve(ctx => ctx.Source.StartedAt);
        Field<DateTimeOffsetGraphType>("endedAt").Resolve(ctx => ctx.Source.EndedAt);
        Field<StreamEndReasonType>("endReason").Resolve(ctx => ctx.Source.EndReason);
        Field(x => x.IsLive);
        Field(x => x.ViewerCount).Description("Exact, while live; 0 afterwards.");
        Field(x => x.PeakViewers);
        Field(x => x.ThumbnailUrl, nullable: true).Description("A recent frame of the live stream (refreshed about every minute).");
        Field<NonNullGraphType<IngestKindType>>("ingest")
            .Description("Where the broadcast comes in, and so how to play it: RTMP (our ingest: playbackUrl, webRtcPlayback) or LIVE_KIT (a LiveKit ingress: join the room with streamViewerToken).")
            .Resolve(ctx => ctx.Source.Ingest);
        Field<StringGraphType>("playbackUrl")
            .Description("HLS master playlist of the live stream (<channel id>/index.m3u8, one rendition per rung of the quality ladder); null when offline or on LiveKit (use streamViewerToken).")
            .Resolve(ctx => ctx.Source.IsLive && ctx.Source.Ingest == IngestKind.Rtmp ? options.Value.PlaybackUrl(ctx.Source.ChannelId) : null);
        Field<TranscodeStatusType>("transcode")
            .Description("What the HLS worker makes of the live stream; null when offline, on LiveKit, or before the worker has started.")
            .ResolveAsync(async ctx => ctx.Source.IsLive && ctx.Source.Ingest == IngestKind.Rtmp
                ? await cluster.GetGrain<IBroadcasterGrain>(ctx.Source.ChannelId).GetTranscodeAsync()
                : null);
    }
}

public sealed class TranscodeStatusType : ObjectGraphType<TranscodeStatus>
{
    public TranscodeStatusType()
    {
        Name = "TranscodeStatus";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("renditions")
            .Description("The renditions players can choose, best first (\"source\" is the encoder's own video).")
            .Resolve(ctx => ctx.Source.Renditions);
        Field(x => x.FellBack).Description("True when the quality ladder could not be encoded in real time here and only the source is served for the rest of the broadcast.");
        Field(x => x.Reason, nullable: true).Description("Why it fell back, for the dashboard.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
    }
}

public sealed class StreamStatusType : ObjectGraphType<StreamStatusChanged>
{
    public StreamStatusType(IClusterClient cluster)
    {
        Name = "StreamStatus";
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<NonNullGraphType<StreamStatusKindType>>("kind").Resolve(ctx => ctx.Source.Kind);
        Field<NonNullGraphType<BooleanGraphType>>("isLive").Resolve(ctx => ctx.Source.Kind != StreamStatusKind.Offline);
        Field<NonNullGraphType<IdGraphType>>("streamId").Resolve(ctx => ctx.Source.StreamId);
        Field(x => x.Title);
        Field<StringGraphType>("category").Resolve(ctx => ctx.Source.CategorySlug);
        Field(x => x.ViewerCount);
        Field<StreamEndReasonType>("endReason").Resolve(ctx => ctx.Source.EndReason);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
        Field<StreamType>("stream").ResolveAsync(async ctx => await cluster.GetGrain<IStreamGrain>(ctx.Source.StreamId).GetAsync());
        Field<RaidType>("raid").Description("On RAIDED: where the broadcaster sent the viewers.").Resolve(ctx => ctx.Source.Raid);
    }
}

public sealed class UpdateStreamInput
{
    public string? Title { get; set; }

    public string? Category { get; set; }

    public bool? RecordBroadcasts { get; set; }

    public List<string>? Tags { get; set; }

    public string? Language { get; set; }

    public bool? Mature { get; set; }
}

public sealed class UpdateStreamInputType : InputObjectGraphType<UpdateStreamInput>
{
    public UpdateStreamInputType()
    {
        Name = "UpdateStreamInput";
        Field(x => x.Title, nullable: true).Description("1–140 characters; control characters are removed.");
        Field(x => x.Category, nullable: true).Description("A slug from categories.");
        Field(x => x.RecordBroadcasts, nullable: true).Description("Keep your next broadcasts as past broadcasts (on unless switched off).");
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("tags")
            .Description("Your channel's tags, replacing the ones it has: at most 10, each 1–25 letters or digits (no spaces or symbols); repeats ignoring case are dropped.");
        Field(x => x.Language, nullable: true).Description("An ISO 639-1 code from streamLanguages; an empty string clears it.");
        Field(x => x.Mature, nullable: true).Description("Mark your channel as intended for mature audiences (viewers confirm before the player loads).");
    }
}

public sealed class IngressInputTypeType : EnumerationGraphType<IngressInputType>
{
    public IngressInputTypeType() => Name = "IngressType";
}

public sealed class IngressType : ObjectGraphType<LiveKitIngress>
{
    public IngressType()
    {
        Name = "Ingress";
        Field(x => x.IngressId);
        Field(x => x.Url).Description("RTMP server or WHIP endpoint to send media to.");
        Field(x => x.StreamKey);
        Field<NonNullGraphType<IngressInputTypeType>>("type").Resolve(ctx => ctx.Source.InputType);
        Field(x => x.RoomName);
    }
}

public sealed record ViewerToken(string Url, string Token, string Identity, string Room, string Broadcaster, DateTimeOffset ExpiresAt);

public sealed class ViewerTokenType : ObjectGraphType<ViewerToken>
{
    public ViewerTokenType()
    {
        Name = "StreamViewerToken";
        Description = "Joins the channel's LiveKit room to watch (subscribe only).";
        Field(x => x.Url).Description("The LiveKit server to connect to.");
        Field(x => x.Token);
        Field(x => x.Identity);
        Field(x => x.Room);
        Field(x => x.Broadcaster).Description("The participant identity the channel's ingress publishes as: play its video and audio tracks.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("expiresAt").Resolve(ctx => ctx.Source.ExpiresAt);
    }
}
