using Microsoft.AspNetCore.SignalR;
using WgStream.Api.Auth;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>
/// SignalR chat at <c>/hubs/chat</c>. Clients call <c>JoinChannel</c>, <c>LeaveChannel</c> and
/// <c>SendMessage</c>; the server sends <c>message</c>, <c>messageDeleted</c>, <c>userBanned</c>,
/// <c>userUnbanned</c> and <c>settingsChanged</c> to everyone in the room. Auth is the session token
/// as <c>access_token</c> in the query string (what SignalR clients send on WebSockets), a bearer
/// header, or the browser cookie; anonymous viewers may join and read.
/// </summary>
public sealed class ChatHub(IClusterClient cluster, SessionAuthenticator authenticator, ChatHubRooms rooms, WebSocketRegistry registry) : Hub
{
    private const string PrincipalKey = "principal";
    private const string RoomsKey = "rooms";

    public override async Task OnConnectedAsync()
    {
        var http = Context.GetHttpContext()!;
        var token = http.Request.Query["access_token"].ToString() is { Length: > 0 } q ? q : SessionAuthenticator.ReadToken(http.Request);
        if (token is not null)
        {
            var principal = await authenticator.AuthenticateAsync(token, http.Connection.RemoteIpAddress?.ToString());
            if (principal is null)
            {
                throw new HubException("UNAUTHENTICATED: the session has ended or the token is invalid.");
            }

            Context.Items[PrincipalKey] = principal;
            var connection = new HubSessionConnection(Context);
            Context.Items[nameof(HubSessionConnection)] = connection;
            registry.Add(principal.SessionId, connection);
        }

        Context.Items[RoomsKey] = new HashSet<Guid>();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items[PrincipalKey] is SessionPrincipal principal && Context.Items[nameof(HubSessionConnection)] is HubSessionConnection connection)
        {
            registry.Remove(principal.SessionId, connection);
        }

        foreach (var channelId in Joined)
        {
            await rooms.LeaveAsync(channelId, Context.ConnectionId);
        }
    }

    /// <summary>Joins the room's live feed and returns the recent history and settings.</summary>
    public async Task<JoinResult> JoinChannel(string channelId)
    {
        var id = ParseChannel(channelId);
        var room = cluster.GetGrain<IChatRoomGrain>(id);
        var history = await Call(() => room.GetHistoryAsync(100, null));
        if (Joined.Add(id))
        {
            await rooms.JoinAsync(id, Context.ConnectionId);
        }

        return new JoinResult(history.Messages, history.HasMore, (await room.GetInfoAsync()).Settings);
    }

    public async Task LeaveChannel(string channelId)
    {
        var id = ParseChannel(channelId);
        if (Joined.Remove(id))
        {
            await rooms.LeaveAsync(id, Context.ConnectionId);
        }
    }

    /// <summary>Sends a message; a refusal comes back as data (code, reason, when to retry), not as a hub error.</summary>
    public async Task<SendResult> SendMessage(string channelId, string text)
    {
        if (Context.Items[PrincipalKey] is not SessionPrincipal principal)
        {
            return SendResult.Refused(ErrorCodes.Unauthenticated, "Sign in to chat.", null, null);
        }

        try
        {
            return new SendResult(true, await cluster.GetGrain<IChatRoomGrain>(ParseChannel(channelId)).SendAsync(principal.UserId, text), null);
        }
        catch (WgException e)
        {
            return SendResult.Refused(e.Code, e.Message, e.Field, e.RetryAt);
        }
    }

    private HashSet<Guid> Joined => (HashSet<Guid>)Context.Items[RoomsKey]!;

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

public sealed record JoinResult(IReadOnlyList<ChatMessage> Messages, bool HasOlder, ChatSettings Settings);

public sealed record SendError(string Code, string Message, string? Rule, DateTimeOffset? RetryAt);

public sealed record SendResult(bool Ok, ChatMessage? Message, SendError? Error)
{
    public static SendResult Refused(string code, string message, string? rule, DateTimeOffset? retryAt) =>
        new(false, null, new SendError(code, message, rule, retryAt));
}
