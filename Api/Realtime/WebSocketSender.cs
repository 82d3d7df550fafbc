using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace WgStream.Api.Realtime;

/// <summary>
/// Sends one WebSocket's messages in order, one at a time (a WebSocket allows one send at a time),
/// within a byte budget and a write timeout.
/// </summary>
/// <remarks>
/// There is no writer task waiting on a channel: a message queued while no send is running starts
/// one on the thread pool, which sends it and everything queued behind it until a write has to wait
/// for the client. A live feed's fan-out queues an event to all its sockets first and then starts
/// the idle ones in a few work items (<see cref="SendBatch"/>), not one per socket. Several queued
/// messages go to the transport in one write when it can take them so
/// (<see cref="CoalescingStream"/>). A write that waits longer than the timeout aborts the socket;
/// the timer is armed only for writes that wait, so the usual write costs no timer.
/// </remarks>
public sealed class WebSocketSender
{
    private readonly ConcurrentQueue<Outgoing> queue = new();
    private readonly WebSocket socket;
    private readonly CoalescingStream? transport;
    private readonly long budgetBytes;
    private readonly TimeSpan sendTimeout;
    private readonly ILogger logger;
    private readonly CancellationTokenSource timeout = new();
    private readonly TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ArrayBufferWriter<byte> frame = new(1024);
    private long queuedBytes;

    // 1 while one thread owns sending; after Complete it stays 1 for good.
    private int sending;
    private int completed;
    private int dropping;
    private int waiting;

    /// <param name="transport">The stream under <paramref name="socket"/>, when it can hold writes back (<see cref="CoalescingStream"/>).</param>
    public WebSocketSender(WebSocket socket, CoalescingStream? transport, long budgetBytes, TimeSpan sendTimeout, ILogger logger)
    {
        this.socket = socket;
        this.transport = transport;
        this.budgetBytes = budgetBytes;
        this.sendTimeout = sendTimeout;
        this.logger = logger;
        timeout.Token.Register(static s => ((WebSocketSender)s!).OnTimedOut(), this);
    }

    /// <summary>Bytes queued and not yet handed to the socket.</summary>
    public long QueuedBytes => Volatile.Read(ref queuedBytes);

    /// <summary>Queues one text message; false, and nothing queued, if it would take the socket past its budget.</summary>
    public bool TrySend(ReadOnlyMemory<byte> message) => TryQueue(new Outgoing(message, default, default, 0, null), null);

    /// <summary>
    /// Queues one text message made of a per-socket head, a shared body and a tail, joined at write
    /// time. With a <paramref name="batch"/>, an idle socket's send starts when the batch does.
    /// </summary>
    public bool TrySend(ReadOnlyMemory<byte> head, ReadOnlyMemory<byte> body, ReadOnlyMemory<byte> tail, SendBatch? batch) =>
        TryQueue(new Outgoing(head, body, tail, 0, null), batch);

    /// <summary>
    /// Drops what is queued and not yet sent; only a close queued after this still goes out. For a
    /// client that fell behind: it learns why at once instead of after megabytes it is not reading.
    /// </summary>
    public void DropQueued() => Volatile.Write(ref dropping, 1);

    /// <summary>Queues the close frame; nothing after it is sent. False once the sender is complete.</summary>
    public bool TryClose(int code, string reason)
    {
        if (Volatile.Read(ref completed) == 1)
        {
            return false;
        }

        queue.Enqueue(new Outgoing(default, default, default, code, reason));
        Kick(null);
        return true;
    }

    /// <summary>
    /// No more sends: waits for a send in progress to finish (aborting the socket if it is waiting
    /// for the client, whose connection is over anyway), so the socket can be disposed.
    /// </summary>
    public async Task CompleteAsync()
    {
        Volatile.Write(ref completed, 1);
        if (Interlocked.CompareExchange(ref sending, 1, 0) != 0)
        {
            if (Volatile.Read(ref waiting) == 1)
            {
                socket.Abort();
            }

            await idle.Task;
        }

        timeout.Dispose();
    }

    private bool TryQueue(Outgoing item, SendBatch? batch)
    {
        if (Volatile.Read(ref completed) == 1)
        {
            return true;
        }

        if (Interlocked.Add(ref queuedBytes, item.Size) > budgetBytes)
        {
            Interlocked.Add(ref queuedBytes, -item.Size);
            return false;
        }

        queue.Enqueue(item);
        Kick(batch);
        return true;
    }

    /// <summary>Called by a <see cref="SendBatch"/> for a socket whose right to send it took.</summary>
    internal void StartSending() => _ = SendQueuedAsync();

    private void Kick(SendBatch? batch)
    {
        if (Interlocked.CompareExchange(ref sending, 1, 0) != 0)
        {
            return;
        }

        if (batch is not null)
        {
            batch.Add(this);
        }
        else
        {
            // Off the caller's thread: a producer (a resolver, the receive loop) never waits on a socket.
            ThreadPool.UnsafeQueueUserWorkItem(static s => s.StartSending(), this, preferLocal: false);
        }
    }

    /// <summary>Runs on the thread that won <see cref="sending"/>, synchronously until a write has to wait.</summary>
    private async Task SendQueuedAsync()
    {
        while (true)
        {
            try
            {
                while (Volatile.Read(ref completed) == 0 && queue.TryDequeue(out var item))
                {
                    Interlocked.Add(ref queuedBytes, -item.Size);
                    if (transport is not null)
                    {
                        // Another message is waiting: keep this frame and hand both to the transport together.
                        transport.Hold = item.CloseCode == 0 && !queue.IsEmpty;
                    }

                    if (item.CloseCode != 0)
                    {
                        await WriteAsync(socket.CloseOutputAsync((WebSocketCloseStatus)item.CloseCode, item.Reason, CancellationToken.None));
                        Volatile.Write(ref completed, 1);
                        break;
                    }

                    if (Volatile.Read(ref dropping) == 0)
                    {
                        await WriteAsync(socket.SendAsync(Join(item), WebSocketMessageType.Text, true, CancellationToken.None));
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
            {
                // The socket is gone (aborted, reset, or timed out): nothing more can be sent.
                Volatile.Write(ref completed, 1);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A WebSocket send failed");
                socket.Abort();
                Volatile.Write(ref completed, 1);
            }

            // Hand back the right to send, then look again: a message queued meanwhile must not be stranded.
            Volatile.Write(ref sending, 0);
            if (Volatile.Read(ref completed) == 1)
            {
                if (Interlocked.CompareExchange(ref sending, 1, 0) == 0)
                {
                    idle.TrySetResult();
                }

                return;
            }

            if (queue.IsEmpty || Interlocked.CompareExchange(ref sending, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private void OnTimedOut()
    {
        logger.LogInformation("A WebSocket client did not take a write within {Timeout}; aborted", sendTimeout);
        socket.Abort();
    }

    private ReadOnlyMemory<byte> Join(in Outgoing item)
    {
        if (item.Body.IsEmpty && item.Tail.IsEmpty)
        {
            return item.Head;
        }

        frame.ResetWrittenCount();
        frame.Write(item.Head.Span);
        frame.Write(item.Body.Span);
        frame.Write(item.Tail.Span);
        return frame.WrittenMemory;
    }

    private async ValueTask WriteAsync(ValueTask write)
    {
        if (write.IsCompletedSuccessfully)
        {
            return;
        }

        // The client is not taking data as fast as we write it: bound how long it may hold us.
        Volatile.Write(ref waiting, 1);
        timeout.CancelAfter(sendTimeout);
        try
        {
            await write;
        }
        finally
        {
            Volatile.Write(ref waiting, 0);
        }

        if (!timeout.TryReset())
        {
            throw new OperationCanceledException("The client did not take a write in time.");
        }
    }

    private async ValueTask WriteAsync(Task write)
    {
        if (write.IsCompletedSuccessfully)
        {
            return;
        }

        await WriteAsync(new ValueTask(write));
    }

    /// <summary>A message (head, body and tail joined at write time), or a close frame.</summary>
    private readonly record struct Outgoing(ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Body, ReadOnlyMemory<byte> Tail, int CloseCode, string? Reason)
    {
        public long Size => Head.Length + Body.Length + Tail.Length;
    }
}
