using GraphQL;
using GraphQL.Types;
using WgStream.Api.Accounts;
using WgStream.Api.Channels;
using WgStream.Api.GraphQL;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>Chat over GraphQL: history, room state, sending, moderation, settings, and live events.</summary>
public sealed class ChatSchema(IClusterClient cluster, ChatSender sender, NodeFeeds feeds, KnownChannels channels, ViewerBlocks blocks) : ISchemaContributor
{
    public void AddQueries(ObjectGraphType query)
    {
        // Both read anonymously by channel id: a made-up id is NOT_FOUND from KnownChannels (one cached
        // read) instead of activating a chat room for it.
        query.Field<NonNullGraphType<ChatHistoryType>>("chatMessages")
            .Description("The newest messages (or those before a cursor), oldest first. NOT_FOUND for an id that is no channel.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<IntGraphType>("last", arg => arg.DefaultValue = 50)
            .Argument<StringGraphType>("before")
            .DependsOnViewer()
            .ResolveAsync(async ctx =>
            {
                await channels.EnsureExistsAsync(ChannelArg(ctx));
                var history = await Room(ctx).GetHistoryAsync(ctx.GetArgument<int>("last"), ChatCursor.Decode(ctx.GetArgument<string?>("before")));
                return VisibleChatHistory.Of(history, ctx.WgUser().Principal is { } me ? await blocks.CurrentAsync(me.UserId) : null);
            });

        query.Field<NonNullGraphType<ChatRoomType>>("chatRoom")
            .Description("The room's modes, pin and the viewer's standing in it. NOT_FOUND for an id that is no channel.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx =>
            {
                await channels.EnsureExistsAsync(ChannelArg(ctx));
                var room = Room(ctx);
                var standing = ctx.WgUser().Principal is { } p ? await room.GetStandingAsync(p.UserId) : null;
                return new ChatRoomView(await room.GetInfoAsync(), standing);
            });

        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<EmoteType>>>>("emotes")
            .Description("The emotes chat understands (typed as their code, :name:), in picker order.")
            .Resolve(_ => EmoteCatalog.Names.Select(name => new Emote(name, EmoteCatalog.ImageUrl(name)!)).ToList());
    }

    public void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ChatMessageType>>("sendChatMessage")
            .Description("@username mentions the account (and notifies it); replyTo answers a visible message of the room, quoting it.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<StringGraphType>>("text")
            .Argument<IdGraphType>("replyTo")
            .ResolveAsync(async ctx => await sender.SendAsync(
                ChannelArg(ctx), Me(ctx), ctx.GetArgument<string>("text"), Ids.ParseOptional(ctx.GetArgument<string?>("replyTo"), "replyTo"), ctx.CancellationToken));

        mutation.Field<NonNullGraphType<ChatPinType>>("pinChatMessage")
            .Description("Moderators pin a message to the top of the room for `seconds` (30 to 43200), replacing any pinned one.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("messageId")
            .Argument<NonNullGraphType<IntGraphType>>("seconds")
            .ResolveAsync(async ctx => await Room(ctx).PinMessageAsync(
                Me(ctx), Ids.Parse(ctx.GetArgument<string>("messageId"), "messageId"), TimeSpan.FromSeconds(ctx.GetArgument<int>("seconds"))));

        mutation.Field<NonNullGraphType<BooleanGraphType>>("unpinChatMessage")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx =>
            {
                await Room(ctx).UnpinMessageAsync(Me(ctx));
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("clearChat")
            .Description("Moderators clear everyone's view of the chat (/clear); the messages stay stored for replays and reports.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveAsync(async ctx =>
            {
                await Room(ctx).ClearChatAsync(Me(ctx));
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("deleteChatMessage")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("messageId")
            .ResolveAsync(async ctx =>
            {
                await Room(ctx).DeleteMessageAsync(Me(ctx), Ids.Parse(ctx.GetArgument<string>("messageId"), "messageId"));
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("timeoutUser")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .Argument<NonNullGraphType<IntGraphType>>("seconds")
            .Argument<StringGraphType>("reason")
            .ResolveAsync(async ctx =>
            {
                await Room(ctx).TimeoutAsync(Me(ctx), UserArg(ctx), ctx.GetArgument<int>("seconds"), ctx.GetArgument<string?>("reason"));
                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("banUser")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .Argument<StringGraphType>("reason")
            .ResolveAsync(async ctx =>
            {
                await Room(ctx).BanAsync(Me(ctx), UserArg(ctx), ctx.GetArgument<string?>("reason"));
                return true;
            });

        mutation.ChatUserAction(cluster, "unbanUser", (room, me, user) => room.UnbanAsync(me, user));

        mutation.ChatUserAction(cluster, "addModerator", (room, me, user) => room.AddModeratorAsync(me, user));

        mutation.ChatUserAction(cluster, "removeModerator", (room, me, user) => room.RemoveModeratorAsync(me, user));

        mutation.Field<NonNullGraphType<ChatSettingsType>>("updateChatSettings")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .Argument<NonNullGraphType<ChatSettingsInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ChatSettingsInput>("input");
                return await Room(ctx).UpdateSettingsAsync(Me(ctx), new ChatSettingsUpdate(
                    input.Enabled, input.SlowModeSeconds, input.FollowersOnly, input.FollowersOnlyMinutes, input.EmoteOnly, input.SponsorsOnly, input.AutoModLevel, input.HoldLinks));
            });

        mutation.Field<NonNullGraphType<StringGraphType>>("updateChatColor")
            .Description("#rrggbb or a palette name (red, blue, dodgerblue, hotpink, …); returns the stored #RRGGBB.")
            .Argument<NonNullGraphType<StringGraphType>>("color")
            .ResolveAsync(async ctx => await cluster.GetGrain<IUserProfileGrain>(Me(ctx)).SetChatColorAsync(ctx.GetArgument<string>("color")));
    }

    public void AddSubscriptions(ObjectGraphType subscription)
    {
        subscription.Field<NonNullGraphType<ChatMessageType>>("chatMessageAdded")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveStreamAsync(ctx => RoomFeedAsync(ctx, e => e.Kind == ChatEventKind.MessageAdded ? e.Message : null));

        subscription.Field<NonNullGraphType<ChatEventType>>("chatEvents")
            .Description("Every change in the room: messages, deletions, bans and timeouts, settings.")
            .Argument<NonNullGraphType<IdGraphType>>("channelId")
            .ResolveStreamAsync(ctx => RoomFeedAsync(ctx, e => e));
    }

    /// <summary>The room's events through the node's fan-out; an unknown channel is NOT_FOUND before anything is subscribed or activated.</summary>
    private async Task<IObservable<object?>> RoomFeedAsync(IResolveFieldContext ctx, Func<ChatEvent, object?> select)
    {
        var channelId = Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");
        await channels.EnsureExistsAsync(channelId);
        return await FeedObservable<ChatEventBatch>.AttachAsync(
            feeds, StreamNames.Chat, channelId, batch => batch.Events.Select(select).OfType<object>());
    }

    private IChatRoomGrain Room(IResolveFieldContext ctx) => cluster.GetGrain<IChatRoomGrain>(ChannelArg(ctx));

    private static Guid ChannelArg(IResolveFieldContext ctx) => Ids.Parse(ctx.GetArgument<string>("channelId"), "channelId");

    private static Guid Me(IResolveFieldContext ctx) => ctx.WgUser().RequirePrincipal().UserId;

    private static Guid UserArg(IResolveFieldContext ctx) => Ids.Parse(ctx.GetArgument<string>("userId"), "userId");
}
