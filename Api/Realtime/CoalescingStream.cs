using System.Buffers;
using WgStream.ServiceDefaults;

namespace WgStream.Api.Realtime;

/// <summary>
/// The upgraded connection of a WebSocket whose sender can hold writes back and hand the transport
/// several frames in one write. Kestrel flushes every write to the socket, so without this each
/// WebSocket message of a burst costs its own flush and its own <c>send</c> system call; with it a
/// client that has several messages waiting gets them in one. Nothing is delayed to make a batch:
/// <see cref="WebSocketSender"/> holds a write only when another message is already queued behind it.
/// </summary>
/// <remarks>
/// Every write reaches this stream from inside the WebSocket's own send lock (ours and its pings and
/// pongs alike), so writes never overlap; the lock here only orders the buffer against
/// <see cref="Hold"/> being set from the sender's thread.
/// </remarks>
public sealed class CoalescingStream(Stream inner, int maxHeldBytes, WgMetrics metrics) : Stream
{
    private readonly Lock gate = new();

    // Rented while writes are held and returned once they are written, so an idle socket keeps no buffer.
    private byte[]? held;
    private int heldCount;
    private int heldFrames;
    private bool hold;

    /// <summary>While true, writes are kept (up to the limit) and go out with the first write after it is cleared.</summary>
    public bool Hold
    {
        get
        {
            lock (gate)
            {
                return hold;
            }
        }

        set
        {
            lock (gate)
            {
                hold = value;
            }
        }
    }

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        byte[] batch;
        int length, frames;
        lock (gate)
        {
            if (heldCount == 0 && !hold)
            {
                return inner.WriteAsync(buffer, cancellationToken);
            }

            Append(buffer.Span);
            heldFrames++;
            if (hold && heldCount < maxHeldBytes)
            {
                return ValueTask.CompletedTask;
            }

            (batch, length, frames) = (held!, heldCount, heldFrames);
            (held, heldCount, heldFrames) = (null, 0, 0);
        }

        metrics.CoalescedWrites.Add(1);
        metrics.CoalescedFrames.Add(frames);

        return WriteBatchAsync(batch, length, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            ReturnHeld();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        ReturnHeld();
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (held is null || held.Length - heldCount < data.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(4096, heldCount + data.Length));
            if (held is not null)
            {
                held.AsSpan(0, heldCount).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(held);
            }

            held = bigger;
        }

        data.CopyTo(held.AsSpan(heldCount));
        heldCount += data.Length;
    }

    private void ReturnHeld()
    {
        lock (gate)
        {
            if (held is not null)
            {
                ArrayPool<byte>.Shared.Return(held);
                (held, heldCount, heldFrames) = (null, 0, 0);
            }
        }
    }

    private async ValueTask WriteBatchAsync(byte[] batch, int length, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(batch.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }
}
