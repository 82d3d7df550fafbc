using System.Collections.Concurrent;
using Orleans.Streams;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Chat;

/// <summary>Something on this node that wants a room's events: the SignalR group of the room, or one GraphQL subscription.</summary>
public interface IChatSink
{
    /// <summary>Called in order, one batch at a time; must not block.</summary>
    void Deliver(ChatEventBatch batch);
}

/// <summary>
/// One Orleans stream subscription per room per Api node, however many sockets watch the room:
/// batches arrive once and are handed to the local sinks. The subscription is made when the first
/// sink attaches and dropped when the last one leaves.
/// </summary>
public sealed partial class ChatFanout(IClusterClient cluster, ILogger<ChatFanout> logger)
{
    private readonly ConcurrentDictionary<Guid, RoomFeed> rooms = new();

    public int SubscribedRooms => rooms.Count;

    public async Task<IAsyncDisposable> AttachAsync(Guid channelId, IChatSink sink)
    {
        while (true)
        {
            var feed = rooms.GetOrAdd(channelId, id => new RoomFeed(id));
            await feed.Gate.WaitAsync();
            try
            {
                if (feed.Closed)
                {
                    // Lost a race with the last sink leaving: that feed is gone, make a new one.
                    continue;
                }

                if (feed.Handle is null)
                {
                    var stream = cluster.GetStreamProvider(StreamNames.Provider)
                        .GetStream<ChatEventBatch>(StreamId.Create(StreamNames.Chat, channelId));
                    feed.Handle = await stream.SubscribeAsync((batch, _) =>
                    {
                        feed.Deliver(batch, logger);
                        return Task.CompletedTask;
                    });
                }

                feed.Add(sink);
                return new Detacher(this, feed, sink);
            }
            finally
            {
                feed.Gate.Release();
            }
        }
    }

    private async Task DetachAsync(RoomFeed feed, IChatSink sink)
    {
        await feed.Gate.WaitAsync();
        try
        {
            if (!feed.Remove(sink) || !feed.IsEmpty)
            {
                return;
            }

            feed.Closed = true;
            rooms.TryRemove(new KeyValuePair<Guid, RoomFeed>(feed.ChannelId, feed));
            if (feed.Handle is { } handle)
            {
                try
                {
                    await handle.UnsubscribeAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogUnsubscribeFailed(e, feed.ChannelId);
                }
            }
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from chat room {ChannelId}")]
    private partial void LogUnsubscribeFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "A chat sink of room {ChannelId} failed")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, Guid channelId);

    private sealed class RoomFeed(Guid channelId)
    {
        private volatile IChatSink[] sinks = [];

        public Guid ChannelId { get; } = channelId;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public StreamSubscriptionHandle<ChatEventBatch>? Handle { get; set; }

        public bool Closed { get; set; }

        public bool IsEmpty => sinks.Length == 0;

        // Copy-on-write under the gate: delivery reads the array without locking.
        public void Add(IChatSink sink) => sinks = [.. sinks, sink];

        public bool Remove(IChatSink sink)
        {
            var before = sinks;
            sinks = before.Where(s => !ReferenceEquals(s, sink)).ToArray();
            return sinks.Length != before.Length;
        }

        public void Deliver(ChatEventBatch batch, ILogger logger)
        {
            foreach (var sink in sinks)
            {
                try
                {
                    sink.Deliver(batch);
                }
                catch (Exception e)
                {
                    LogSinkFailed(logger, e, ChannelId);
                }
            }
        }
    }

    private sealed class Detacher(ChatFanout fanout, RoomFeed feed, IChatSink sink) : IAsyncDisposable
    {
        private int disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref disposed, 1) == 0 ? new ValueTask(fanout.DetachAsync(feed, sink)) : ValueTask.CompletedTask;
    }
}
