using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>
/// A moderator's SignalR connection watching a room's AutoMod queue: each <see cref="HeldMessageEvent"/>
/// is sent to that connection alone as <c>heldMessage</c>. Per connection rather than per room (as
/// <see cref="ChatHubRooms"/> is): a room has a handful of moderators, and the node still subscribes
/// to the queue's stream once (<see cref="NodeFeeds"/>).
/// </summary>
public sealed class ChatHubHeldWatch(NodeFeeds feeds, ChatHubConnections connections)
{
    public const string Method = "heldMessage";

    /// <summary>Starts sending the room's queue events to the connection; null when it has closed already.</summary>
    public async Task<IAsyncDisposable?> AttachAsync(Guid channelId, string connectionId) =>
        connections.Find(connectionId) is { } connection
            ? await feeds.AttachAsync(StreamNames.ChatHeld, channelId, new Sink(connection))
            : null;

    private sealed class Sink(HubConnectionContext connection) : IFeedSink<HeldMessageEvent>
    {
        public void Deliver(HeldMessageEvent item)
        {
            // A few events a minute at most; a write that fails means the connection is going, and its close detaches this.
            var write = connection.WriteAsync(new InvocationMessage(Method, [item]));
            if (!write.IsCompletedSuccessfully)
            {
                _ = write.AsTask().ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
        }
    }
}
