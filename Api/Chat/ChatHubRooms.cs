using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using WgStream.Api.Accounts;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Chat;

/// <summary>
/// The SignalR side of the node's fan-out: one sink per room, attached to <see cref="NodeFeeds"/>
/// while at least one connection of this node is in the room. Each event becomes one
/// <see cref="SerializedHubMessage"/>, serialized once per protocol and written to every member
/// connection as bytes (<see cref="ChatHubConnections"/> hands over the connections), by every core
/// at once and in order per connection (<see cref="ParallelFanout{TKey, TMember, TItem}"/>). Writes are not
/// awaited, so one slow socket cannot hold up the room; instead each connection may have at most
/// <see cref="ChatHubOptions.MaxPendingSends"/> writes waiting, for at most
/// <see cref="ChatHubOptions.SendTimeout"/>, and one that falls further behind is disconnected (the
/// client reconnects and reloads history by <c>seq</c>), so a reader that stopped costs bounded memory.
/// A signed-in member's block list (<see cref="ViewerBlocks"/>) is checked per message: what its
/// authors wrote is not written to them. The messages written are counted
/// (<c>wg.chat.deliveries</c>) once per message per fan-out lane, not per connection.
/// </summary>
public sealed partial class ChatHubRooms(
    NodeFeeds feeds,
    ChatHubConnections connections,
    IOptions<JsonHubProtocolOptions> protocol,
    IOptions<ChatHubOptions> options,
    TimeProvider clock,
    WgMetrics metrics,
    ILogger<ChatHubRooms> logger)
{
    private readonly ConcurrentDictionary<Guid, Room> rooms = new();
    private readonly IOptions<JsonHubProtocolOptions> protocol = protocol;
    private readonly IOptions<ChatHubOptions> options = options;
    private readonly TimeProvider clock = clock;
    private readonly WgMetrics metrics = metrics;

    /// <param name="blocks">The caller's block list, for a signed-in caller; the room holds no lease of its own.</param>
    public async Task JoinAsync(Guid channelId, HubCallerContext caller, ViewerBlocks.BlockListLease? blocks)
    {
        // Only a connection that is still open is in the lifetime manager; a gone one has nothing to join.
        if (connections.Find(caller.ConnectionId) is not { } connection)
        {
            return;
        }

        while (true)
        {
            var room = rooms.GetOrAdd(channelId, id => new Room(this));
            await room.Gate.WaitAsync();
            try
            {
                if (room.Closed)
                {
                    continue;
                }

                room.Add(new Member(connection, blocks));
                if (room.Detach is null)
                {
                    room.Detach = await feeds.AttachAsync(StreamNames.Chat, channelId, room);
                }

                return;
            }
            finally
            {
                room.Gate.Release();
            }
        }
    }

    public async Task LeaveAsync(Guid channelId, string connectionId)
    {
        if (!rooms.TryGetValue(channelId, out var room))
        {
            return;
        }

        await room.Gate.WaitAsync();
        try
        {
            if (!room.Remove(connectionId) || !room.IsEmpty)
            {
                return;
            }

            room.Closed = true;
            rooms.TryRemove(new KeyValuePair<Guid, Room>(channelId, room));
            if (room.Detach is { } detach)
            {
                await detach.DisposeAsync();
            }
        }
        finally
        {
            room.Gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A chat write to a SignalR connection failed")]
    private partial void LogWriteFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnecting chat connection {ConnectionId}: {Pending} writes waiting for {Waited}")]
    private partial void LogSlowConsumer(string connectionId, int pending, TimeSpan waited);

    /// <summary>One connection in one room, with the writes it has not taken yet.</summary>
    private sealed class Member(HubConnectionContext connection, ViewerBlocks.BlockListLease? blocks)
    {
        private int pending;
        private long stalledSince;

        public string ConnectionId => connection.ConnectionId;

        public int Pending => Volatile.Read(ref pending);

        public bool Hides(Guid? authorId) => blocks is not null && blocks.Hides(authorId);

        /// <summary>When the oldest write still waiting was started (a TimeProvider timestamp), if any.</summary>
        public long StalledSince => Volatile.Read(ref stalledSince);

        public void Write(SerializedHubMessage message, long now)
        {
            var write = connection.WriteAsync(message);
            if (!write.IsCompletedSuccessfully)
            {
                Track(write.AsTask(), now);
            }
        }

        private void Track(Task send, long now)
        {
            if (Interlocked.Increment(ref pending) == 1)
            {
                Volatile.Write(ref stalledSince, now);
            }

            _ = send.ContinueWith(
                static (t, state) =>
                {
                    var member = (Member)state!;
                    if (Interlocked.Decrement(ref member.pending) == 0)
                    {
                        Volatile.Write(ref member.stalledSince, 0);
                    }

                    _ = t.Exception;
                },
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        public void Abort() => connection.Abort();
    }

    private sealed class Room : IFeedSink<ChatEventBatch>
    {
        private readonly ChatHubRooms owner;
        private readonly ParallelFanout<string, Member, HubDelivery> members;

        public Room(ChatHubRooms owner)
        {
            this.owner = owner;
            members = new(Write, owner.LogWriteFailed, Swept, StringComparer.Ordinal);
        }

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool Closed { get; set; }

        public IAsyncDisposable? Detach { get; set; }

        public bool IsEmpty => members.Count == 0;

        public void Add(Member member) => members.TryAdd(member.ConnectionId, member);

        public bool Remove(string connectionId) => members.Remove(connectionId);

        public void Deliver(ChatEventBatch batch)
        {
            var json = owner.protocol.Value.PayloadSerializerOptions;
            foreach (var e in batch.Events)
            {
                var (method, payload) = e.Kind switch
                {
                    ChatEventKind.MessageAdded => ("message", PreSerializedJson.From(e.Message, json)),
                    ChatEventKind.MessageDeleted => ("messageDeleted", PreSerializedJson.From(new { e.ChannelId, e.MessageId }, json)),
                    ChatEventKind.UserBanned => ("userBanned", PreSerializedJson.From(new { e.ChannelId, e.UserId, e.Until, e.Reason }, json)),
                    ChatEventKind.UserUnbanned => ("userUnbanned", PreSerializedJson.From(new { e.ChannelId, e.UserId }, json)),
                    ChatEventKind.SettingsChanged => ("settingsChanged", PreSerializedJson.From(e.Settings, json)),
                    ChatEventKind.MessagePinned => ("messagePinned", PreSerializedJson.From(e.Pin, json)),
                    ChatEventKind.MessageUnpinned => ("messageUnpinned", PreSerializedJson.From(new { e.ChannelId, e.MessageId }, json)),
                    ChatEventKind.Raid => ("raid", PreSerializedJson.From(e.Raid, json)),
                    ChatEventKind.ChatCleared => ("chatCleared", PreSerializedJson.From(new { e.ChannelId, Seq = e.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture) }, json)),
                    _ => (null, null),
                };
                if (method is not null)
                {
                    members.Publish(new HubDelivery(new SerializedHubMessage(new InvocationMessage(method, [payload])), e.AuthorId, e.Kind == ChatEventKind.MessageAdded));
                }
            }
        }

        /// <summary>Writes the event to the member's connection; false when it was kept from them (blocked author, or a slow consumer cut off).</summary>
        private bool Write(Member member, HubDelivery delivery)
        {
            if (member.Hides(delivery.AuthorId))
            {
                return false;
            }

            var limits = owner.options.Value;
            var now = owner.clock.GetTimestamp();
            if (member.Pending >= limits.MaxPendingSends
                || (member.StalledSince is var since and not 0 && owner.clock.GetElapsedTime(since, now) > limits.SendTimeout))
            {
                owner.LogSlowConsumer(member.ConnectionId, member.Pending, member.StalledSince == 0 ? TimeSpan.Zero : owner.clock.GetElapsedTime(member.StalledSince, now));
                member.Abort();
                return false;
            }

            member.Write(delivery.Message, now);
            return true;
        }

        private void Swept(HubDelivery delivery, int written)
        {
            if (delivery.IsMessage)
            {
                owner.metrics.ChatDeliveries.Add(written, WgMetrics.SignalRTransport);
            }
        }
    }
}

/// <summary>
/// One event for a room's members: its bytes, serialized once, who wrote it (null for events
/// nobody wrote), and whether it is a chat message (counted as a delivery) rather than a room event.
/// </summary>
internal readonly record struct HubDelivery(SerializedHubMessage Message, Guid? AuthorId, bool IsMessage);
