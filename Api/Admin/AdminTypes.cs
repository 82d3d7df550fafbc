using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.Api.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Admin;

public sealed class SiteBanType : ObjectGraphType<SiteBan>
{
    public SiteBanType(IClusterClient cluster)
    {
        Name = "SiteBan";
        Description = "An account banned from the whole site by an operator.";
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(ctx => ctx.Source.UserId);
        Field<ChannelType>("user").Description("The banned account's channel.").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.UserId).GetAsync());
        Field(x => x.Reason);
        Field<NonNullGraphType<IdGraphType>>("bannedById").Resolve(ctx => ctx.Source.BannedBy);
        Field<ChannelType>("bannedBy").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.BannedBy).GetAsync());
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("bannedAt").Resolve(ctx => ctx.Source.BannedAt);
    }
}

public sealed class SiteBanEdgeType : EdgeType<SiteBanType, SiteBan>
{
    public SiteBanEdgeType()
        : base("SiteBanEdge")
    {
    }
}

public sealed class SiteBanConnectionType : ConnectionType<SiteBanEdgeType, SiteBan>
{
    public SiteBanConnectionType()
        : base("SiteBanConnection")
    {
    }
}

public sealed class SiteBanActionType : EnumerationGraphType<SiteBanAction>
{
    public SiteBanActionType() => Name = "SiteBanAction";
}

public sealed class SiteBanAuditEntryType : ObjectGraphType<SiteBanAuditEntry>
{
    public SiteBanAuditEntryType(IClusterClient cluster)
    {
        Name = "SiteBanAuditEntry";
        Description = "Who banned or unbanned whom, when and why.";
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(ctx => ctx.Source.UserId);
        Field<ChannelType>("user").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.UserId).GetAsync());
        Field<NonNullGraphType<SiteBanActionType>>("action").Resolve(ctx => ctx.Source.Action);
        Field<NonNullGraphType<IdGraphType>>("actorId").Resolve(ctx => ctx.Source.ActorId);
        Field<ChannelType>("actor").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ActorId).GetAsync());
        Field(x => x.Reason, nullable: true);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
    }
}

public sealed class SiteBanAuditEdgeType : EdgeType<SiteBanAuditEntryType, SiteBanAuditEntry>
{
    public SiteBanAuditEdgeType()
        : base("SiteBanAuditEdge")
    {
    }
}

public sealed class SiteBanAuditConnectionType : ConnectionType<SiteBanAuditEdgeType, SiteBanAuditEntry>
{
    public SiteBanAuditConnectionType()
        : base("SiteBanAuditConnection")
    {
    }
}

public sealed class IngestHealthType : ObjectGraphType<IngestHealth>
{
    public IngestHealthType()
    {
        Name = "IngestHealth";
        Description = "How a live broadcast comes in. The encoder's bitrate is not known: nginx-rtmp's callbacks do not carry it.";
        Field<NonNullGraphType<IngestKindType>>("ingest").Resolve(ctx => ctx.Source.Ingest);
        Field<DateTimeOffsetGraphType>("lastHeartbeatAt")
            .Description("When the RTMP ingest last said the encoder is still publishing (about every 10 s); null on LiveKit.")
            .Resolve(ctx => ctx.Source.LastHeartbeatAt);
        Field<TranscodeStatusType>("transcode")
            .Description("The renditions the HLS worker makes and whether it fell back to passthrough; null before it reports and on LiveKit.")
            .Resolve(ctx => ctx.Source.Transcode);
    }
}

/// <summary>A live channel as operators see it: the listing, the broadcast and how it comes in.</summary>
public sealed record AdminLiveChannel(ChannelListing Channel, StreamInfo? Stream, IngestHealth? Health);

public sealed class AdminLiveChannelType : ObjectGraphType<AdminLiveChannel>
{
    public AdminLiveChannelType()
    {
        Name = "AdminLiveChannel";
        Field<NonNullGraphType<ChannelSummaryType>>("channel").Resolve(ctx => ctx.Source.Channel);
        Field<StreamType>("stream").Description("The live broadcast (title, started at, exact viewers); null if it ended since the list was read.").Resolve(ctx => ctx.Source.Stream);
        Field<IngestHealthType>("health").Resolve(ctx => ctx.Source.Health);
    }
}

public sealed class AdminLiveChannelEdgeType : EdgeType<AdminLiveChannelType, AdminLiveChannel>
{
    public AdminLiveChannelEdgeType()
        : base("AdminLiveChannelEdge")
    {
    }
}

public sealed class AdminLiveChannelConnectionType : ConnectionType<AdminLiveChannelEdgeType, AdminLiveChannel>
{
    public AdminLiveChannelConnectionType()
        : base("AdminLiveChannelConnection")
    {
    }
}
