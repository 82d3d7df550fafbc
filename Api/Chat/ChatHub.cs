using Microsoft.AspNetCore.SignalR;
using WgStream.Api.Accounts;
using WgStream.Api.Auth;
using WgStream.Api.Channels;
using WgStream.Api.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Chat;

/// <summary>
/// SignalR chat at <c>/hubs/chat</c>. Clients call <c>JoinChannel</c>, <c>LeaveChannel</c>,
/// <c>SendMessage</c> and <c>SendReply</c>; the server sends <c>message</c>, <c>messageDeleted</c>,
/// <c>userBanned</c>, <c>userUnbanned</c>, <c>settingsChanged</c>, <c>messagePinned</c>,
/// <c>messageUnpinned</c>, <c>chatCleared</c> and <c>raid</c> to everyone in the room. A moderator may also call
/// <c>WatchHeldMessages</c> to receive the room's AutoMod queue as <c>heldMessage</c> events (approving
/// and denying are GraphQL mutations, like the other moderator actions). Who is connecting is
/// settled by <see cref="HubAuthenticationMiddleware"/>; anonymous viewers may join and read.
/// </summary>
public sealed class ChatHub(
    IClusterClient cluster,
    ChatSender sender,
    KnownChannels channels,
    ChatHubRooms rooms,
    ChatHubHeldWatch heldWatch,
    ViewerPresence presence,
    WebSocketRegistry registry,
    ViewerBlocks blocks,
    WgMetrics metrics) : Hub
{
    private const string PrincipalKey = "principal";
    private const string RoomsKey = "rooms";
    private const string HeldWatchesKey = "held-watches";
    private const string BlocksKey = "blocks";

    public override async Task OnConnectedAsync()
    {
        metrics.RealtimeConnections.Add(1);
        Context.Items[RoomsKey] = new HashSet<Guid>();
        Context.Items[HeldWatchesKey] = new Dictionary<Guid, IAsyncDisposable>();
        if (HubAuthenticationMiddleware.Principal(Context.GetHttpContext()!) is { } principal)
        {
            Context.Items[PrincipalKey] = principal;
            var connection = new HubSessionConnection(Context);
            Context.Items[nameof(HubSessionConnection)] = connection;
            // The client may already be sending while this runs; a session revoked since the
            // handshake authenticated is caught here rather than left open.
            if (!await registry.AddLiveAsync(principal.SessionId, connection))
            {
                Context.Abort();
            }
        }
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.RealtimeConnections.Add(-1);
        if (Context.Items[PrincipalKey] is SessionPrincipal principal && Context.Items[nameof(HubSessionConnection)] is HubSessionConnection connection)
        {
            registry.Remove(principal.SessionId, connection);
        }

        foreach (var channelId in Joined)
        {
            await rooms.LeaveAsync(channelId, Context.ConnectionId);
            await presence.LeaveAsync(channelId, ViewerKey);
        }

        foreach (var watch in HeldWatches.Values)
        {
            await watch.DisposeAsync();
        }

        // After leaving the rooms: their members no longer read the list.
        (Context.Items[BlocksKey] as ViewerBlocks.BlockListLease)?.Dispose();
    }

    /// <summary>
    /// Joins the room's live feed, then returns the recent history and settings. Live messages may
    /// overlap the history: skip any whose <c>seq</c> is not above the last history message's. An
    /// id that is no channel is refused (NOT_FOUND) before anything is activated or subscribed.
    /// </summary>
    public async Task<JoinResult> JoinChannel(string channelId)
    {
        var id = ParseChannel(channelId);
        await Call(async () =>
        {
            await channels.EnsureExistsAsync(id);
            return true;
        });
        var room = cluster.GetGrain<IChatRoomGrain>(id);
        var info = await Call(room.GetInfoAsync);
        var blockList = await BlockListAsync();
        if (Joined.Add(id))
        {
            // Live first, history and settings second: nothing falls between the two.
            await rooms.JoinAsync(id, Context, blockList);
            // A chat connection is a viewer of the channel's stream (its session once, however many tabs).
            await presence.JoinAsync(id, ViewerKey);
            info = await Call(room.GetInfoAsync);
        }

        var history = await Call(() => room.GetHistoryAsync(100, null));
        var messages = blockList is null ? history.Messages : [.. history.Messages.Where(m => !blockList.Hides(m.SenderId))];
        return new JoinResult(messages, history.HasMore, info.Settings, info.Pinned);
    }

    public async Task LeaveChannel(string channelId)
    {
        var id = ParseChannel(channelId);
        if (Joined.Remove(id))
        {
            await rooms.LeaveAsync(id, Context.ConnectionId);
            await presence.LeaveAsync(id, ViewerKey);
        }
    }

    /// <summary>Sends a message; a refusal comes back as data (code, reason, when to retry), not as a hub error.</summary>
    public Task<SendResult> SendMessage(string channelId, string text) => SendAsync(channelId, text, null);

    /// <summary>Sends a message that answers <paramref name="replyTo"/> (a visible message of the room), as <see cref="SendMessage"/> does.</summary>
    public Task<SendResult> SendReply(string channelId, string text, string replyTo) =>
        Guid.TryParse(replyTo, out var parent)
            ? SendAsync(channelId, text, parent)
            : Task.FromResult(SendResult.Refused(ErrorCodes.BadUserInput, "replyTo is not a valid id.", "replyTo", null));

    private async Task<SendResult> SendAsync(string channelId, string text, Guid? replyTo)
    {
        if (Context.Items[PrincipalKey] is not SessionPrincipal principal)
        {
            return SendResult.Refused(ErrorCodes.Unauthenticated, "Sign in to chat.", null, null);
        }

        try
        {
            return new SendResult(true, await sender.SendAsync(ParseChannel(channelId), principal.UserId, text, replyTo, Context.ConnectionAborted), null);
        }
        catch (WgException e)
        {
            return SendResult.Refused(e.Code, e.Message, e.Field, e.RetryAt);
        }
    }

    /// <summary>
    /// For the room's broadcaster and moderators: starts sending its AutoMod queue as <c>heldMessage</c>
    /// events (a <c>HeldMessageEvent</c>: HELD with the message, or APPROVED, DENIED, EXPIRED), then
    /// returns the messages waiting now. Anyone else: a FORBIDDEN hub error.
    /// </summary>
    public async Task<HeldQueue> WatchHeldMessages(string channelId)
    {
        if (Context.Items[PrincipalKey] is not SessionPrincipal principal)
        {
            throw new HubException($"{ErrorCodes.Unauthenticated}: Sign in first.");
        }

        var id = ParseChannel(channelId);
        var room = cluster.GetGrain<IChatRoomGrain>(id);
        var standing = await Call(() => room.GetStandingAsync(principal.UserId));
        if (!standing.IsBroadcaster && !standing.IsModerator)
        {
            throw new HubException($"{ErrorCodes.Forbidden}: Only the broadcaster and moderators see held messages.");
        }

        // Live first, the queue as it is second: nothing falls between the two.
        if (!HeldWatches.ContainsKey(id) && await heldWatch.AttachAsync(id, Context.ConnectionId) is { } watch)
        {
            HeldWatches[id] = watch;
        }

        var page = await Call(() => room.GetHeldMessagesAsync(principal.UserId, GrainInterfaces.Common.Cursor.MaxPageSize, null));
        return new HeldQueue([.. page.Edges.Select(e => e.Node)], page.HasNextPage);
    }

    public async Task UnwatchHeldMessages(string channelId)
    {
        if (HeldWatches.Remove(ParseChannel(channelId), out var watch))
        {
            await watch.DisposeAsync();
        }
    }

    private HashSet<Guid> Joined => (HashSet<Guid>)Context.Items[RoomsKey]!;

    /// <summary>The signed-in caller's block list, held for the rest of the connection from its first join; null for anonymous viewers.</summary>
    private async Task<ViewerBlocks.BlockListLease?> BlockListAsync()
    {
        if (Context.Items[PrincipalKey] is not SessionPrincipal principal)
        {
            return null;
        }

        if (Context.Items.TryGetValue(BlocksKey, out var held))
        {
            return (ViewerBlocks.BlockListLease)held!;
        }

        var lease = await blocks.AcquireAsync(principal.UserId);
        if (Context.ConnectionAborted.IsCancellationRequested)
        {
            // Gone while the list loaded: its disconnect may have run already and would not release it.
            lease.Dispose();
            throw new HubException("UNAVAILABLE: The connection is closing.");
        }

        Context.Items[BlocksKey] = lease;
        return lease;
    }

    private Dictionary<Guid, IAsyncDisposable> HeldWatches => (Dictionary<Guid, IAsyncDisposable>)Context.Items[HeldWatchesKey]!;

    private string ViewerKey => ViewerKeys.For(Context.Items[PrincipalKey] as SessionPrincipal, Context.ConnectionId);

    private static Guid ParseChannel(string channelId) =>
        Guid.TryParse(channelId, out var id) ? id : throw new HubException("BAD_USER_INPUT: channelId is not a valid id.");

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (WgException e)
        {
            throw new HubException($"{e.Code}: {e.Message}");
        }
    }

    /// <summary>Lets a session revocation end this SignalR connection.</summary>
    private sealed class HubSessionConnection(HubCallerContext context) : ISessionConnection
    {
        public Task CloseAsync(int code, string reason)
        {
            context.Abort();
            return Task.CompletedTask;
        }
    }
}

/// <summary>What joining a room answers: the newest history, the settings, and the pinned message if one is.</summary>
public sealed record JoinResult(IReadOnlyList<ChatMessage> Messages, bool HasOlder, ChatSettings Settings, ChatPin? Pinned);

/// <summary>The AutoMod queue when a moderator starts watching it: the oldest waiting messages, and whether more wait.</summary>
public sealed record HeldQueue(IReadOnlyList<HeldChatMessage> Messages, bool HasMore);

public sealed record SendError(string Code, string Message, string? Rule, DateTimeOffset? RetryAt);

public sealed record SendResult(bool Ok, ChatMessage? Message, SendError? Error)
{
    public static SendResult Refused(string code, string message, string? rule, DateTimeOffset? retryAt) =>
        new(false, null, new SendError(code, message, rule, retryAt));
}
