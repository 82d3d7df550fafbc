using GraphQL;
using GraphQL.Types;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>AutoMod: the hold queue a room's moderators work through, and the domains its links may point to.</summary>
public sealed class AutoModSchema(IClusterClient cluster, NodeFeeds feeds, KnownChannels channels) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<HeldChatMessageConnectionType>>("heldChatMessages")
            .Description("Messages AutoMod holds for review, oldest first; the broadcaster and moderators only (FORBIDDEN otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("first", arg => arg.DefaultValue = Cursor.DefaultPageSize)
            .Argument<StringGraphType>("after")
            .ResolveAsync(async ctx => Connection<HeldChatMessage>.From(
                await Room(ctx).GetHeldMessagesAsync(Me(ctx), ctx.GetArgument<int>("first"), ctx.GetArgument<string?>("after"))));

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("chatAllowedLinkDomains")
            .Description("Domains (and their subdomains) whose links are not held while the channel holds links; moderators only.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx => await Room(ctx).GetAllowedLinkDomainsAsync(Me(ctx)));
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ChatMessageType>>("approveHeldChatMessage")
            .Description("Posts a held message with the time it was sent. CONFLICT when another moderator decided first or it expired.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("messageId")
            .ResolveAsync(async ctx => await Room(ctx).ApproveHeldMessageAsync(Me(ctx), MessageArg(ctx)));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("denyHeldChatMessage")
            .Description("Drops a held message; it is never posted.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("messageId")
            .ResolveAsync(async ctx =>
            {
                await Room(ctx).DenyHeldMessageAsync(Me(ctx), MessageArg(ctx));
                return true;
            });

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("setChatAllowedLinkDomains")
            .Description("Replaces the channel's allowed link domains (example.com allows its subdomains too); returns them normalised.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("domains")
            .ResolveAsync(async ctx => await Room(ctx).SetAllowedLinkDomainsAsync(Me(ctx), ctx.GetArgument<List<string>>("domains")));
    }

    public void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<HeldMessageEventType>>("heldChatMessageEvents")
            .Description("The room's AutoMod queue as it changes; the broadcaster and moderators only, checked when subscribing.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .DependsOnViewer()
            .ResolveStreamAsync(async ctx =>
            {
                var channelId = ChannelArg(ctx);
                await channels.EnsureExistsAsync(channelId);
                var standing = await cluster.GetGrain<IChatRoomGrain>(channelId).GetStandingAsync(Me(ctx));
                if (!standing.IsBroadcaster && !standing.IsModerator)
                {
                    throw WgException.Forbidden("Only the broadcaster and moderators see held messages.");
                }

                return await FeedObservable<HeldMessageEvent>.AttachAsync(feeds, StreamNames.ChatHeld, channelId, e => [e]);
            });
    }

    private IChatRoomGrain Room(IResolveFieldContext ctx) => cluster.GetGrain<IChatRoomGrain>(ChannelArg(ctx));

    private static Guid ChannelArg(IResolveFieldContext ctx) => Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");

    private static Guid MessageArg(IResolveFieldContext ctx) => Ids.Parse(ctx.GetArgument<string>("messageId"), "messageId");

    private static Guid Me(IResolveFieldContext ctx) => ctx.WgUser().RequirePrincipal().UserId;
}
