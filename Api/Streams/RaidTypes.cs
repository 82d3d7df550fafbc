using GraphQL.Types;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Streams;

public sealed class RaidPolicyType : EnumerationGraphType<RaidPolicy>
{
    public RaidPolicyType()
    {
        Name = "RaidPolicy";
        Description = "Who may raid a channel: everyone live, only channels it follows, or nobody.";
    }
}

public sealed class RaidType : ObjectGraphType<Raid>
{
    public RaidType()
    {
        Name = "Raid";
        Description = "A live channel sending its viewers to another live channel.";
        Field<NonNullGraphType<IdGraphType>>("fromChannelId").Resolve(ctx => ctx.Source.FromChannelId);
        Field(x => x.FromUsername);
        Field(x => x.FromDisplayName);
        Field<NonNullGraphType<IdGraphType>>("toChannelId").Resolve(ctx => ctx.Source.ToChannelId);
        Field(x => x.ToUsername);
        Field(x => x.Viewers).Description("How many viewers the raiding channel had when it raided.");
        Field<NonNullGraphType<DateTimeOffsetGraphType>>("at").Resolve(ctx => ctx.Source.At);
    }
}
