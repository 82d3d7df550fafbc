using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

public sealed class ModerationActionType : EnumerationGraphType<ModerationAction>
{
    public ModerationActionType() => Name = "ModerationAction";
}

public sealed class ModerationEntryType : ObjectGraphType<ModerationEntry>
{
    public ModerationEntryType(IClusterClient cluster)
    {
        Name = "ModerationEntry";
        Field<NonNullGraphType<ModerationActionType>>("action").Resolve(ctx => ctx.Source.Action);
        Field<NonNullGraphType<IdGraphType>>("actorId").Resolve(ctx => ctx.Source.ActorId);
        Field<ChannelType>("actor").Description("Who did it (their channel).").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ActorId).GetAsync());
        Field<IdGraphType>("targetUserId").Resolve(ctx => ctx.Source.TargetUserId);
        Field<ChannelType>("targetUser").ResolveAsync(async ctx => ctx.Source.TargetUserId is { } id ? await cluster.GetGrain<IChannelGrain>(id).GetAsync() : null);
        Field<IdGraphType>("targetMessageId").Resolve(ctx => ctx.Source.TargetMessageId);
        Field(x => x.Reason, nullable: true);
        Field(x => x.Details, nullable: true).Description("What it was about: the deleted message, the timeout's length, the term, the new settings.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
    }
}

public sealed class ModerationEntryEdgeType : EdgeType<ModerationEntryType, ModerationEntry>
{
    public ModerationEntryEdgeType()
        : base("ModerationEntryEdge")
    {
    }
}

public sealed class ModerationEntryConnectionType : ConnectionType<ModerationEntryEdgeType, ModerationEntry>
{
    public ModerationEntryConnectionType()
        : base("ModerationEntryConnection")
    {
    }
}
