using System.Globalization;
using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

public sealed class ReportActionType : EnumerationGraphType<ReportAction>
{
    public ReportActionType() => Name = "ReportAction";
}

public sealed class ReportType : ObjectGraphType<Report>
{
    public ReportType(IClusterClient cluster)
    {
        Name = "Report";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<IdGraphType>>("channelId").Resolve(ctx => ctx.Source.ChannelId);
        Field<ChannelType>("channel").Description("The channel whose chat the report is about.").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ChannelId).GetAsync());
        Field<ChannelType>("reporter").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.ReporterId).GetAsync());
        Field<NonNullGraphType<IdGraphType>>("targetUserId").Resolve(ctx => ctx.Source.TargetUserId);
        Field<ChannelType>("targetUser").ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.TargetUserId).GetAsync());
        Field<IdGraphType>("messageId").Resolve(ctx => ctx.Source.MessageId);
        Field(x => x.MessageText, nullable: true).Description("The message as it was when reported.");
        Field(x => x.Reason);
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt);
        Field<DateTimeOffsetGraphType>("resolvedAt").Resolve(ctx => ctx.Source.ResolvedAt);
        Field<ChannelType>("resolvedBy").ResolveAsync(async ctx => ctx.Source.ResolvedBy is { } id ? await cluster.GetGrain<IChannelGrain>(id).GetAsync() : null);
        Field<ReportActionType>("action").Resolve(ctx => ctx.Source.Action);
        Field(x => x.Note, nullable: true);
    }
}

public sealed class ReportEdgeType : EdgeType<ReportType, Report>
{
    public ReportEdgeType()
        : base("ReportEdge")
    {
    }
}

public sealed class ReportConnectionType : ConnectionType<ReportEdgeType, Report>
{
    public ReportConnectionType()
        : base("ReportConnection")
    {
    }
}
