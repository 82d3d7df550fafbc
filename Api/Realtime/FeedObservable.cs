using System.Threading.Channels;

namespace WgStream.Api.Realtime;

/// <summary>
/// A GraphQL subscription's source: a sink of the node's feed (see <see cref="NodeFeeds"/>) with
/// its own bounded queue, turned into the <see cref="IObservable{T}"/> a subscription field returns.
/// A source that falls too far behind is ended with an error (the client resubscribes and reloads)
/// rather than slowing the feed for everyone or silently skipping events.
/// </summary>
public sealed class FeedObservable<T> : IObservable<object?>, IFeedSink<T>
{
    private const int Capacity = 1000;
    private readonly Channel<object> queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private readonly Func<T, IEnumerable<object>> expand;
    private IAsyncDisposable? detach;
    private int subscribed;

    private FeedObservable(Func<T, IEnumerable<object>> expand) => this.expand = expand;

    /// <summary>Attaches to the feed before returning, so nothing published after the subscribe is missed.</summary>
    /// <param name="expand">What the subscription field yields for one feed item (none, one or several values).</param>
    public static async Task<IObservable<object?>> AttachAsync(NodeFeeds feeds, string streamNamespace, Guid id, Func<T, IEnumerable<object>> expand)
    {
        var observable = new FeedObservable<T>(expand);
        observable.detach = await feeds.AttachAsync(streamNamespace, id, observable);
        return observable;
    }

    /// <summary>One value per feed item.</summary>
    public static Task<IObservable<object?>> AttachAsync(NodeFeeds feeds, string streamNamespace, Guid id) =>
        AttachAsync(feeds, streamNamespace, id, item => [item!]);

    public void Deliver(T item)
    {
        foreach (var value in expand(item))
        {
            if (!queue.Writer.TryWrite(value))
            {
                queue.Writer.TryComplete(new InvalidOperationException("The subscriber fell too far behind."));
                return;
            }
        }
    }

    public IDisposable Subscribe(IObserver<object?> observer)
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 1)
        {
            throw new InvalidOperationException("A feed observable has exactly one observer.");
        }

        var stop = new CancellationTokenSource();
        _ = PumpAsync(observer, stop.Token);
        return new Unsubscriber(this, stop);
    }

    private async Task PumpAsync(IObserver<object?> observer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var value in queue.Reader.ReadAllAsync(cancellationToken))
            {
                observer.OnNext(value);
            }

            observer.OnCompleted();
        }
        catch (OperationCanceledException)
        {
        }
        catch (InvalidOperationException e)
        {
            observer.OnError(e);
        }
        finally
        {
            await DetachAsync();
        }
    }

    private async Task DetachAsync()
    {
        if (Interlocked.Exchange(ref detach, null) is { } d)
        {
            await d.DisposeAsync();
        }
    }

    private sealed class Unsubscriber(FeedObservable<T> owner, CancellationTokenSource stop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
            owner.queue.Writer.TryComplete();
            _ = owner.DetachAsync();
        }
    }
}
