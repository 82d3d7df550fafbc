using System.Threading.Channels;
using Orleans.Streams;

namespace WgStream.Api.GraphQL;

/// <summary>
/// Bridges an Orleans stream to the <see cref="IObservable{T}"/> a GraphQL subscription field
/// returns. The Orleans subscription is made before the observable is handed out, so nothing
/// published after the client subscribed is missed; events queue until the executer subscribes.
/// </summary>
public sealed class StreamObservable<T> : IObservable<T>
{
    private readonly Channel<T> buffer = Channel.CreateBounded<T>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
    private StreamSubscriptionHandle<T>? handle;
    private int subscribed;

    private StreamObservable()
    {
    }

    public static async Task<IObservable<T>> SubscribeAsync(IAsyncStream<T> stream, Func<T, bool>? filter = null)
    {
        var observable = new StreamObservable<T>();
        observable.handle = await stream.SubscribeAsync((item, _) =>
        {
            if (filter is null || filter(item))
            {
                observable.buffer.Writer.TryWrite(item);
            }

            return Task.CompletedTask;
        });
        return observable;
    }

    public IDisposable Subscribe(IObserver<T> observer)
    {
        if (Interlocked.Exchange(ref subscribed, 1) == 1)
        {
            throw new InvalidOperationException("A stream observable has exactly one observer.");
        }

        var stop = new CancellationTokenSource();
        _ = PumpAsync(observer, stop.Token);
        return new Unsubscriber(this, stop);
    }

    private async Task PumpAsync(IObserver<T> observer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in buffer.Reader.ReadAllAsync(cancellationToken))
            {
                observer.OnNext(item);
            }

            observer.OnCompleted();
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Unsubscriber(StreamObservable<T> owner, CancellationTokenSource stop) : IDisposable
    {
        public void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
            owner.buffer.Writer.TryComplete();
            if (Interlocked.Exchange(ref owner.handle, null) is { } handle)
            {
                // Fire and forget: Dispose cannot await, and a failed unsubscribe only leaves a
                // subscription that the stream's pub-sub cleans up when this node goes away.
                _ = handle.UnsubscribeAsync();
            }
        }
    }
}
