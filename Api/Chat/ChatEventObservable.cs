using System.Threading.Channels;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Api.Chat;

/// <summary>
/// One GraphQL chat subscription: a sink of the node's room feed with its own bounded queue. A
/// subscriber too slow to keep up is ended (it resubscribes and reloads history) rather than
/// slowing the room or silently skipping messages.
/// </summary>
public sealed class ChatEventObservable : IObservable<object?>, IChatSink
{
    private readonly Channel<ChatEvent> queue = Channel.CreateBounded<ChatEvent>(new BoundedChannelOptions(1000) { SingleReader = true });
    private readonly Func<ChatEvent, object?> select;
    private IAsyncDisposable? detach;
    private int subscribed;

    private ChatEventObservable(Func<ChatEvent, object?> select) => this.select = select;

    /// <summary>Attaches to the room before returning, so nothing published after the subscribe is missed.</summary>
    public static async Task<IObservable<object?>> CreateAsync(ChatFanout fanout, Guid channelId, Func<ChatEvent, object?> select)
    {
        var observable = new ChatEventObservable(select);
        observable.detach = await fanout.AttachAsync(channelId, observable);
        return observable;
    }

    public void Deliver(ChatEventBatch batch)
    {
        foreach (var chatEvent in batch.Events)
        {
            if (!queue.Writer.TryWrite(chatEvent))
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
            throw new InvalidOperationException("A chat observable has exactly one observer.");
        }

        var stop = new CancellationTokenSource();
        _ = PumpAsync(observer, stop.Token);
        return new Unsubscriber(this, stop);
    }

    private async Task PumpAsync(IObserver<object?> observer, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chatEvent in queue.Reader.ReadAllAsync(cancellationToken))
            {
                if (select(chatEvent) is { } value)
                {
                    observer.OnNext(value);
                }
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

    private sealed class Unsubscriber(ChatEventObservable owner, CancellationTokenSource stop) : IDisposable
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
