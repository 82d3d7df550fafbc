using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using WgStream.Api.Realtime;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>
/// The SignalR side of the node's fan-out: one sink per room (the room's SignalR group), attached
/// to <see cref="NodeFeeds"/> while at least one connection of this node is in the room.
/// </summary>
public sealed class ChatHubRooms(NodeFeeds feeds, IHubContext<ChatHub> hub)
{
    private readonly ConcurrentDictionary<Guid, Room> rooms = new();

    public async Task JoinAsync(Guid channelId, string connectionId)
    {
        while (true)
        {
            var room = rooms.GetOrAdd(channelId, id => new Room(id, hub));
            await room.Gate.WaitAsync();
            try
            {
                if (room.Closed)
                {
                    continue;
                }

                await hub.Groups.AddToGroupAsync(connectionId, room.Group);
                if (room.Members++ == 0)
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
            await hub.Groups.RemoveFromGroupAsync(connectionId, room.Group);
            if (--room.Members == 0)
            {
                room.Closed = true;
                rooms.TryRemove(new KeyValuePair<Guid, Room>(channelId, room));
                if (room.Detach is { } detach)
                {
                    await detach.DisposeAsync();
                }
            }
        }
        finally
        {
            room.Gate.Release();
        }
    }

    private sealed class Room(Guid channelId, IHubContext<ChatHub> hub) : IFeedSink<ChatEventBatch>
    {
        public string Group { get; } = $"chat:{channelId:N}";

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Members { get; set; }

        public bool Closed { get; set; }

        public IAsyncDisposable? Detach { get; set; }

        /// <summary>
        /// Group sends serialise each message once for every connection in the group. They are
        /// started in event order and not awaited, so one slow socket cannot hold up the room;
        /// each connection's writes stay in the order they were started.
        /// </summary>
        public void Deliver(ChatEventBatch batch)
        {
            var clients = hub.Clients.Group(Group);
            foreach (var e in batch.Events)
            {
                _ = e.Kind switch
                {
                    ChatEventKind.MessageAdded => clients.SendAsync("message", e.Message),
                    ChatEventKind.MessageDeleted => clients.SendAsync("messageDeleted", new { e.ChannelId, e.MessageId }),
                    ChatEventKind.UserBanned => clients.SendAsync("userBanned", new { e.ChannelId, e.UserId, e.Until, e.Reason }),
                    ChatEventKind.UserUnbanned => clients.SendAsync("userUnbanned", new { e.ChannelId, e.UserId }),
                    ChatEventKind.SettingsChanged => clients.SendAsync("settingsChanged", e.Settings),
                    _ => Task.CompletedTask,
                };
            }
        }
    }
}
