using GraphQL;
using GraphQL.Types;
using WgStream.Api.GraphQL;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>Chat safety: a channel's blocked terms, its VIPs, and its moderation log.</summary>
public sealed class ChatSafetySchema(IClusterClient cluster) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("chatBlockedTerms")
            .Description("The channel's blocked terms; the broadcaster and moderators only (FORBIDDEN otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx => await Room(ctx).GetBlockedTermsAsync(Me(ctx)));

        query.Field<NonNullGraphType<ModerationEntryConnectionType>>("moderationLog")
            .Description("Every moderator action in the channel, newest first; the broadcaster and moderators only.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<ModerationEntry>.From(await cluster.GetGrain<IModerationLogGrain>(0).ReadAsync(
                Me(ctx), ChannelArg(ctx), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("addChatBlockedTerm")
            .Description("Messages containing the word or phrase are refused (case, accents and look-alike letters do not matter; * stands for any letters). Returns the list.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<StringGraphType>>("term")
            .ResolveAsync(async ctx => await Room(ctx).AddBlockedTermAsync(Me(ctx), ctx.GetArgument<string>("term")));

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("removeChatBlockedTerm")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<StringGraphType>>("term")
            .ResolveAsync(async ctx => await Room(ctx).RemoveBlockedTermAsync(Me(ctx), ctx.GetArgument<string>("term")));

        mutation.ChatUserAction(cluster, "addVip", (room, me, user) => room.AddVipAsync(me, user))
            .Description("The broadcaster makes a user a VIP: exempt from slow mode and followers-only, with a badge.");

        mutation.ChatUserAction(cluster, "removeVip", (room, me, user) => room.RemoveVipAsync(me, user));
    }

    private IChatRoomGrain Room(IResolveFieldContext ctx) => cluster.GetGrain<IChatRoomGrain>(ChannelArg(ctx));

    private static Guid ChannelArg(IResolveFieldContext ctx) => Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");

    private static Guid Me(IResolveFieldContext ctx) => ctx.WgUser().RequirePrincipal().UserId;
}
