using GraphQL;
using GraphQL.Types;
using WgStream.Api.Auth;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>Reports: anyone signed in files one; a channel's moderators, and the operators, resolve them.</summary>
public sealed class ReportSchema(IClusterClient cluster, Operators operators) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ReportConnectionType>>("channelReports")
            .Description("Reports about a channel's chat, newest first; its broadcaster and moderators only.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<BooleanGraphType>("open", arg => arg.DefaultValue = true)
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<Report>.From(await Reports.ChannelReportsAsync(
                Me(ctx), Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"), ctx.GetArgument<bool>("open"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<ReportConnectionType>>("allReports")
            .Description("Every channel's reports, newest first; operators only (with 2FA).")
            .Argument<BooleanGraphType>("open", arg => arg.DefaultValue = true)
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx =>
            {
                await operators.RequireAsync(Me(ctx));
                return Connection<Report>.From(await Reports.AllReportsAsync(ctx.GetArgument<bool>("open"), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after")));
            });
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ReportType>>("reportMessage")
            .Description("Reports a chat message to the channel's moderators, with a reason (1–500 characters).")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("messageId")
            .Argument<NonNullGraphType<IdGraphType>>("userId", arg => arg.Description = "The message's sender.")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async ctx => await Reports.FileAsync(Me(ctx), new ReportRequest(
                Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"),
                Ids.Parse(ctx.GetArgument<string>("userId"), "userId"),
                Ids.Parse(ctx.GetArgument<string>("messageId"), "messageId"),
                ctx.GetArgument<string>("reason"))));

        mutation.Field<NonNullGraphType<ReportType>>("reportUser")
            .Description("Reports a user's behaviour in a channel to its moderators.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .ResolveAsync(async ctx => await Reports.FileAsync(Me(ctx), new ReportRequest(
                Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId"),
                Ids.Parse(ctx.GetArgument<string>("userId"), "userId"),
                null,
                ctx.GetArgument<string>("reason"))));

        mutation.Field<NonNullGraphType<ReportType>>("resolveReport")
            .Description(
                "Resolves a report with an action carried out in the channel's chat by its moderators (DISMISS does nothing there), or SITE_BAN: "
                + "operators only, in any channel, bans the reported account from the whole site (note, or else the report's reason, as the ban's reason). "
                + "Operators who do not moderate the channel may DISMISS or SITE_BAN. Recorded with who and when; CONFLICT when already resolved.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<ReportActionType>>("action")
            .Argument<IntGraphType>("timeoutSeconds", arg => arg.Description = "For TIMEOUT; 600 when left out.")
            .Argument<StringGraphType>("note")
            .ResolveAsync(async ctx =>
            {
                var me = Me(ctx);
                var id = ctx.GetArgument<string>("id");
                if (!long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var reportId))
                {
                    throw GrainInterfaces.Common.WgException.BadInput("Not a report id.", "id");
                }

                var asOperator = operators.IsListed(me);
                if (asOperator)
                {
                    await operators.RequireAsync(me);
                }

                return await Reports.ResolveAsync(me, reportId, ctx.GetArgument<ReportAction>("action"), ctx.GetArgument<int?>("timeoutSeconds"), ctx.GetArgument<string?>("note"), asOperator);
            });
    }

    private IReportsGrain Reports => cluster.GetGrain<IReportsGrain>(0);

    private static Guid Me(IResolveFieldContext ctx) => ctx.WgUser().RequirePrincipal().UserId;
}
