using GraphQL;
using GraphQL.Types;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Streams;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Admin;

/// <summary>
/// The operators' panel: site bans, categories and the live channels with their ingest health
/// (the report queue is <c>allReports</c>, in <see cref="Chat.ReportSchema"/>). Every field checks
/// <see cref="Operators.RequireAsync"/> first: FORBIDDEN for others, with field <c>totp</c> for a
/// listed operator without 2FA.
/// </summary>
public sealed class AdminSchema(IClusterClient cluster, Operators operators) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<SiteBanConnectionType>>("siteBans")
            .Description("Accounts banned from the site, newest first; operators only.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                return Connection<SiteBan>.From(await BanList.ListAsync(ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after")));
            });

        query.Field<NonNullGraphType<SiteBanAuditConnectionType>>("siteBanAudit")
            .Description("Every ban and unban, newest first, of one account or of all; operators only.")
            .Argument<IdGraphType>("userId")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                var userId = ctx.GetArgument<string?>("userId") is { } id ? Ids.Parse(id, "userId") : (Guid?)null;
                return Connection<SiteBanAuditEntry>.From(await BanList.AuditAsync(userId, ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after")));
            });

        query.Field<SiteBanType>("siteBan")
            .Description("The site ban in force on an account, or null; operators only.")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                return await cluster.GetGrain<ISiteBanGrain>(Ids.Parse(ctx.GetArgument<string>("userId"), "userId")).GetAsync();
            });

        query.Field<NonNullGraphType<AdminLiveChannelConnectionType>>("adminLiveChannels")
            .Description("Live channels, most viewers first, with the broadcast and its ingest health; operators only.")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                var page = await cluster.GetGrain<IChannelDirectoryGrain>(0).LiveAsync(null, ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"));
                var rows = await Task.WhenAll(page.Edges.Select(async edge =>
                {
                    var broadcaster = cluster.GetGrain<IBroadcasterGrain>(edge.Node.Id);
                    var live = broadcaster.GetLiveAsync();
                    var health = broadcaster.GetIngestHealthAsync();
                    return new ConnectionEdge<AdminLiveChannel>(edge.Cursor, new AdminLiveChannel(edge.Node, await live, await health));
                }));
                return new Connection<AdminLiveChannel>(rows, page.HasNextPage);
            });
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SiteBanType>>("banUserSitewide")
            .Description(
                "Bans an account from the whole site: sign-in refused (ACCOUNT_BANNED), sessions revoked, chat refused everywhere, a live broadcast ended. "
                + "Operators only; BAD_USER_INPUT for yourself or another operator (field userId) or a reason that is empty or over 500 characters (field reason). "
                + "Banning a banned account returns the ban in force.")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async ctx =>
            {
                var me = await RequireOperatorAsync(ctx);
                return await cluster.GetGrain<ISiteBanGrain>(Ids.Parse(ctx.GetArgument<string>("userId"), "userId")).BanAsync(me, ctx.GetArgument<string>("reason"));
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("unbanUserSitewide")
            .Description("Lifts a site ban: the account can sign in (and chat, and go live) again. NOT_FOUND when it is not banned; operators only.")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async ctx =>
            {
                var me = await RequireOperatorAsync(ctx);
                await cluster.GetGrain<ISiteBanGrain>(Ids.Parse(ctx.GetArgument<string>("userId"), "userId")).UnbanAsync(me);
                return true;
            });

        mutation.Field<NonNullGraphType<CategoryType>>("createCategory")
            .Description("A new category at the end of the list; operators only. The slug (2–40 lower-case letters, digits, hyphens) is its URL and never changes.")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .Argument<NonNullGraphType<StringGraphType>>("nameEn")
            .Argument<StringGraphType>("nameUk", arg => arg.Description = "Defaults to nameEn.")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                return await Categories.CreateAsync(ctx.GetArgument<string>("slug"), ctx.GetArgument<string>("nameEn"), ctx.GetArgument<string?>("nameUk"));
            });

        mutation.Field<NonNullGraphType<CategoryType>>("renameCategory")
            .Description("New names for a category (a null name stays as it is); operators only. NOT_FOUND for an unknown slug.")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .Argument<StringGraphType>("nameEn")
            .Argument<StringGraphType>("nameUk")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                return await Categories.RenameAsync(ctx.GetArgument<string>("slug"), ctx.GetArgument<string?>("nameEn"), ctx.GetArgument<string?>("nameUk"));
            });

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryType>>>>("reorderCategories")
            .Description("The display order of every category, each slug once; operators only. CONFLICT when the list does not name exactly the categories there are (reload).")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("slugs")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                return await Categories.ReorderAsync(ctx.GetArgument<List<string>>("slugs"));
            });

        mutation.Field<NonNullGraphType<CategoryType>>("removeCategoryImage")
            .Description("Removes a category's image (upload one with POST /media/category/{slug}); operators only. Removing none is not an error.")
            .Argument<NonNullGraphType<StringGraphType>>("slug")
            .ResolveAsync(async ctx =>
            {
                await RequireOperatorAsync(ctx);
                var slug = ctx.GetArgument<string>("slug");
                await cluster.GetGrain<IChannelMediaGrain>(0).RemoveCategoryImageAsync(slug);
                return await cluster.GetGrain<IChannelDirectoryGrain>(0).CategoryAsync(slug);
            });
    }

    private ISiteBanListGrain BanList => cluster.GetGrain<ISiteBanListGrain>(0);

    private ICategoryAdminGrain Categories => cluster.GetGrain<ICategoryAdminGrain>(0);

    private async Task<Guid> RequireOperatorAsync(IResolveFieldContext ctx)
    {
        var me = ctx.WgUser().RequirePrincipal().UserId;
        await operators.RequireAsync(me);
        return me;
    }
}
