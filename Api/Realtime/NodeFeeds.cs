using System.Collections.Concurrent;
using Orleans.Streams;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Realtime;

/// <summary>Something on this node that wants a feed's events: a SignalR room, a shared GraphQL subscription, one socket.</summary>
public interface IFeedSink<in T>
{
    /// <summary>Called in the feed's order, one event at a time; must not block (queue and return).</summary>
    void Deliver(T item);
}

/// <summary>
/// The node's fan-out for every live feed (a chat room, a channel's stream status, a user's
/// notifications): at most one Orleans stream subscription per feed per Api node, however many
/// sockets watch it. Events arrive once and are handed to the local sinks. The subscription is
/// made when the first sink attaches and dropped when the last one leaves, so attaching a second
/// or ten-thousandth sink costs an array copy and writes nothing to the stream's pub-sub state.
/// Each arriving event is shown to the <see cref="IFeedArrivals"/> first, once per node.
/// </summary>
public sealed partial class NodeFeeds(IClusterClient cluster, IEnumerable<IFeedArrivals> arrivals, ILogger<NodeFeeds> logger)
{
    private readonly ConcurrentDictionary<(string Namespace, Guid Id), Feed> feeds = new();
    private readonly IFeedArrivals[] arrivals = [.. arrivals];

    /// <summary>Feeds this node holds an Orleans subscription for.</summary>
    public int Count => feeds.Count;

    /// <summary>
    /// Attaches <paramref name="sink"/> to the feed, subscribing the node first if it is the feed's
    /// first sink. When this returns, every event published afterwards reaches the sink. One
    /// namespace carries one event type; asking for another is a programming error.
    /// </summary>
    public async Task<IAsyncDisposable> AttachAsync<T>(string streamNamespace, Guid id, IFeedSink<T> sink)
    {
        while (true)
        {
            var feed = feeds.GetOrAdd((streamNamespace, id), key => new Feed<T>(key.Namespace, key.Id));
            if (feed is not Feed<T> typed)
            {
                throw new InvalidOperationException($"Feed {streamNamespace} carries {feed.GetType().GenericTypeArguments[0].Name}, not {typeof(T).Name}.");
            }

            await typed.Gate.WaitAsync();
            try
            {
                if (typed.Closed)
                {
                    // Lost a race with the last sink leaving: that feed is gone, make a new one.
                    continue;
                }

                if (typed.Handle is null)
                {
                    var stream = cluster.GetStreamProvider(StreamNames.Provider).GetStream<T>(StreamId.Create(streamNamespace, id));
                    typed.Handle = await stream.SubscribeAsync((item, _) =>
                    {
                        Arrived(streamNamespace, item!);
                        typed.Deliver(item, logger);
                        return Task.CompletedTask;
                    });
                }

                typed.Add(sink);
                return new Detacher<T>(this, typed, sink);
            }
            finally
            {
                typed.Gate.Release();
            }
        }
    }

    private async Task DetachAsync<T>(Feed<T> feed, IFeedSink<T> sink)
    {
        await feed.Gate.WaitAsync();
        try
        {
            if (!feed.Remove(sink) || !feed.IsEmpty)
            {
                return;
            }

            feed.Closed = true;
            feeds.TryRemove(new KeyValuePair<(string, Guid), Feed>((feed.Namespace, feed.Id), feed));
            if (feed.Handle is { } handle)
            {
                try
                {
                    await handle.UnsubscribeAsync();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogUnsubscribeFailed(e, feed.Namespace, feed.Id);
                }
            }
        }
        finally
        {
            feed.Gate.Release();
        }
    }

    private void Arrived(string streamNamespace, object item)
    {
        foreach (var observer in arrivals)
        {
            try
            {
                observer.Arrived(streamNamespace, item);
            }
            catch (Exception e)
            {
                // A measurement must never cost the sinks their event.
                LogArrivalFailed(e, streamNamespace);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An observer of feed {Namespace} failed")]
    private partial void LogArrivalFailed(Exception exception, string @namespace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from feed {Namespace}/{Id}")]
    private partial void LogUnsubscribeFailed(Exception exception, string @namespace, Guid id);

    [LoggerMessage(Level = LogLevel.Error, Message = "A sink of feed {Namespace}/{Id} failed")]
    private static partial void LogSinkFailed(ILogger logger, Exception exception, string @namespace, Guid id);

    private abstract class Feed(string streamNamespace, Guid id)
    {
        public string Namespace { get; } = streamNamespace;

        public Guid Id { get; } = id;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool Closed { get; set; }
    }

    private sealed class Feed<T>(string streamNamespace, Guid id) : Feed(streamNamespace, id)
    {
        private volatile IFeedSink<T>[] sinks = [];

        public StreamSubscriptionHandle<T>? Handle { get; set; }

        public bool IsEmpty => sinks.Length == 0;

        // Copy-on-write under the gate: delivery reads the array without locking. Copies cost
        // O(sinks) per attach, which is nothing next to a socket's handshake.
        public void Add(IFeedSink<T> sink) => sinks = [.. sinks, sink];

        public bool Remove(IFeedSink<T> sink)
        {
            var before = sinks;
            var index = Array.IndexOf(before, sink);
            if (index < 0)
            {
                return false;
            }

            var after = new IFeedSink<T>[before.Length - 1];
            Array.Copy(before, 0, after, 0, index);
            Array.Copy(before, index + 1, after, index, before.Length - index - 1);
            sinks = after;
            return true;
        }

        public void Deliver(T item, ILogger logger)
        {
            foreach (var sink in sinks)
            {
                try
                {
                    sink.Deliver(item);
                }
                catch (Exception e)
                {
                    LogSinkFailed(logger, e, Namespace, Id);
                }
            }
        }
    }

    private sealed class Detacher<T>(NodeFeeds owner, Feed<T> feed, IFeedSink<T> sink) : IAsyncDisposable
    {
        private int disposed;

        public ValueTask DisposeAsync() =>
            Interlocked.Exchange(ref disposed, 1) == 0 ? new ValueTask(owner.DetachAsync(feed, sink)) : ValueTask.CompletedTask;
    }
}
