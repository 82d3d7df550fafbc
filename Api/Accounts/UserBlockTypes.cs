using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Api.Accounts;

public sealed class UserBlockType : ObjectGraphType<UserBlock>
{
    public UserBlockType(IClusterClient cluster)
    {
        Name = "UserBlock";
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(ctx => ctx.Source.UserId);
        Field<ChannelType>("user")
            .Description("The blocked user's channel; null once their account is deleted.")
            .ResolveAsync(async ctx => await cluster.GetGrain<IChannelGrain>(ctx.Source.UserId).GetAsync());
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("blockedAt").Resolve(ctx => ctx.Source.BlockedAt);
    }
}

public sealed class UserBlockEdgeType : EdgeType<UserBlockType, UserBlock>
{
    public UserBlockEdgeType()
        : base("UserBlockEdge")
    {
    }
}

public sealed class UserBlockConnectionType : ConnectionType<UserBlockEdgeType, UserBlock>
{
    public UserBlockConnectionType()
        : base("UserBlockConnection")
    {
    }
}
