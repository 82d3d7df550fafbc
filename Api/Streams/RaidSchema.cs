using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Streams;

/// <summary>Raids: the signed-in broadcaster raids another live channel, and says whom they take raids from.</summary>
public sealed class RaidSchema(IClusterClient cluster) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<RaidPolicyType>>("raidPolicy")
            .Description("Who may raid your channel.")
            .ResolveAsync(async ctx => await Broadcaster(ctx).GetRaidPolicyAsync());
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RaidPolicyType>>("setRaidPolicy")
            .Argument<NonNullGraphType<RaidPolicyType>>("policy")
            .ResolveAsync(async ctx => await Broadcaster(ctx).SetRaidPolicyAsync(ctx.GetArgument<RaidPolicy>("policy")));

        mutation.Field<NonNullGraphType<RaidType>>("raidChannel")
            .Description("While live, sends your viewers to the live channel `username` and announces it in its chat. "
                + "CONFLICT when you are not live; NOT_FOUND when it is not (or is no channel); FORBIDDEN when it takes no raids from you; RATE_LIMITED right after a raid.")
            .Argument<NonNullGraphType<StringGraphType>>("username")
            .ResolveAsync(async ctx =>
            {
                var broadcaster = Broadcaster(ctx);
                var name = ctx.GetArgument<string>("username").Trim().TrimStart('@');
                if (name.Length is 0 or > 25 || await cluster.GetGrain<IChannelNameGrain>(name.ToLowerInvariant()).GetChannelIdAsync() is not { } target)
                {
                    throw WgException.NotFound("No channel by that name.");
                }

                return await broadcaster.RaidAsync(target);
            });
    }

    private IBroadcasterGrain Broadcaster(IResolveFieldContext ctx) => cluster.GetGrain<IBroadcasterGrain>(ctx.WgUser().RequirePrincipal().UserId);
}
