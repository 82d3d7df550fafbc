using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using WgStream.Api.Auth;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Accounts;

/// <summary>Blocking users: the signed-in user's list, block and unblock (see <see cref="IUserBlocksGrain"/>).</summary>
public sealed class UserBlockSchema(IClusterClient cluster, RateLimiter rateLimiter, IOptions<RateLimitOptions> limits) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<UserBlockConnectionType>>("blockedUsers")
            .Description("The users you blocked, newest first.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<UserBlock>.From(
                await Blocks(ctx).ListAsync(ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<BooleanGraphType>>("blockUser")
            .Description("Hides the user's chat messages from you everywhere and stops them following or sponsoring you; they are not told. True when the block is new.")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async ctx =>
            {
                var blocks = Blocks(ctx);
                var target = Ids.Parse(ctx.GetArgument<string>("userId"), "userId");
                await rateLimiter.EnsureAllowedAsync($"block:{Me(ctx)}", limits.Value.BlockPerAccount, "blocks and unblocks");
                return await blocks.BlockAsync(target);
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("unblockUser")
            .Description("Lifts a block; false when there was none.")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async ctx =>
            {
                var blocks = Blocks(ctx);
                var target = Ids.Parse(ctx.GetArgument<string>("userId"), "userId");
                await rateLimiter.EnsureAllowedAsync($"block:{Me(ctx)}", limits.Value.BlockPerAccount, "blocks and unblocks");
                return await blocks.UnblockAsync(target);
            });
    }

    private IUserBlocksGrain Blocks(IResolveFieldContext ctx) => cluster.GetGrain<IUserBlocksGrain>(Me(ctx));

    private static Guid Me(IResolveFieldContext ctx) => ctx.WgUser().RequirePrincipal().UserId;
}
