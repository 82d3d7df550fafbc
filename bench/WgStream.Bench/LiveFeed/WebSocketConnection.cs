using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// A minimal client WebSocket on a raw socket, cheap enough to run thousands in one process: the
/// upgrade by hand, masked frames out, and one receive loop per connection that parses frame
/// headers in a fixed buffer and hands each complete text message to an
/// <see cref="IWebSocketHandler"/> without copying it. Only a message split into several frames,
/// or bigger than the buffer, is copied (into a rented array). Pings are answered, pongs (the
/// server's keep-alive) ignored, a close frame is echoed and ends the loop.
/// </summary>
public sealed class WebSocketConnection
{
    /// <summary>Bigger messages end the connection: nothing this benchmark receives comes close.</summary>
    private const int MaxMessage = 4 * 1024 * 1024;

    private readonly Socket socket;
    private readonly Memory<byte> buffer;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private int start;
    private int end;
    private byte[]? assembly;
    private int assembled;
    private byte messageOpcode;
    private long frameRemaining;
    private bool frameFinal;
    private bool inCopiedFrame;
    private byte[]? pendingPong;
    private byte[]? closeEcho;
    private int open = 1;

    private WebSocketConnection(Socket socket, Memory<byte> buffer, int start, int end)
    {
        this.socket = socket;
        this.buffer = buffer;
        this.start = start;
        this.end = end;
    }

    public bool IsOpen => Volatile.Read(ref open) == 1;

    /// <summary>The status code of the server's close frame, when it sent one.</summary>
    public int? CloseStatus { get; private set; }

    /// <summary>Why the receive loop ended other than by a close frame (reset, protocol error), if it did.</summary>
    public string? Failure { get; private set; }

    public static async Task<WebSocketConnection> ConnectAsync(
        IPEndPoint server, string pathAndQuery, string? subProtocol, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(server, cancellationToken);
            var handshake = new WebSocketHandshake($"{server.Address}:{server.Port}", pathAndQuery, subProtocol);
            await socket.SendAsync(handshake.Request, SocketFlags.None, cancellationToken);
            var received = 0;
            while (received < buffer.Length)
            {
                var count = await socket.ReceiveAsync(buffer[received..], SocketFlags.None, cancellationToken);
                if (count == 0)
                {
                    throw new IOException("The server closed the connection during the upgrade.");
                }

                received += count;
                var headerEnd = handshake.Accept(buffer.Span[..received]);
                if (headerEnd >= 0)
                {
                    // Frames may have come in the same read as the 101 response.
                    return new WebSocketConnection(socket, buffer, headerEnd, received);
                }
            }

            throw new IOException("The upgrade response does not fit the receive buffer.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task SendTextAsync(ReadOnlyMemory<byte> payload) => SendFrameAsync(WebSocketFrames.Text, payload);

    /// <summary>Sends and reports failure as false: for keep-alives and replies, where a dead connection is not news.</summary>
    public async Task<bool> TrySendTextAsync(ReadOnlyMemory<byte> payload)
    {
        try
        {
            await SendTextAsync(payload);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            return false;
        }
    }

    /// <summary>Runs until the server closes or <see cref="Abort"/>; never throws.</summary>
    public async Task ReceiveLoopAsync(IWebSocketHandler handler)
    {
        try
        {
            var more = Process(handler, Stopwatch.GetTimestamp());
            while (more)
            {
                await SendRepliesAsync();
                // No cancellation token: registering one per read costs on every message, and
                // Abort ends a pending read just as well.
                var count = await socket.ReceiveAsync(buffer[end..], SocketFlags.None);
                if (count == 0)
                {
                    Failure ??= "closed without a close frame";
                    return;
                }

                end += count;
                more = Process(handler, Stopwatch.GetTimestamp());
            }

            await SendRepliesAsync();
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Failure ??= e.Message;
        }
        finally
        {
            Volatile.Write(ref open, 0);
            if (assembly is not null)
            {
                ArrayPool<byte>.Shared.Return(assembly);
                assembly = null;
            }
        }
    }

    /// <summary>Closes at once with a reset (no TIME_WAIT left behind on this side); a pending read ends.</summary>
    public void Abort()
    {
        Volatile.Write(ref open, 0);
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private async Task SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload)
    {
        var frame = ArrayPool<byte>.Shared.Rent(payload.Length + WebSocketFrames.MaxClientHeader);
        try
        {
            var length = WebSocketFrames.WriteMasked(frame, opcode, payload.Span);
            await sendLock.WaitAsync();
            try
            {
                for (var sent = 0; sent < length;)
                {
                    sent += await socket.SendAsync(frame.AsMemory(sent, length - sent), SocketFlags.None);
                }
            }
            finally
            {
                sendLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private async Task SendRepliesAsync()
    {
        if (pendingPong is { } pong)
        {
            pendingPong = null;
            await SendFrameAsync(WebSocketFrames.Pong, pong);
        }

        if (closeEcho is { } close)
        {
            closeEcho = null;
            await SendFrameAsync(WebSocketFrames.Close, close);
        }
    }

    /// <summary>
    /// Parses every complete frame between <see cref="start"/> and <see cref="end"/>; false when a
    /// close frame came. What is left (a frame's beginning) moves to the front of the buffer.
    /// </summary>
    private bool Process(IWebSocketHandler handler, long arrived)
    {
        var data = buffer.Span;
        var more = true;
        while (more)
        {
            if (inCopiedFrame)
            {
                var take = (int)Math.Min(frameRemaining, end - start);
                Append(data.Slice(start, take));
                start += take;
                frameRemaining -= take;
                if (frameRemaining > 0)
                {
                    break;
                }

                inCopiedFrame = false;
                if (frameFinal)
                {
                    if (messageOpcode == WebSocketFrames.Text)
                    {
                        handler.OnText(assembly.AsSpan(0, assembled), arrived);
                    }

                    messageOpcode = 0;
                    assembled = 0;
                    if (assembly is not null)
                    {
                        ArrayPool<byte>.Shared.Return(assembly);
                        assembly = null;
                    }
                }

                continue;
            }

            var available = end - start;
            if (available < 2)
            {
                break;
            }

            var final = (data[start] & 0x80) != 0;
            var opcode = (byte)(data[start] & 0x0F);
            if ((data[start + 1] & 0x80) != 0)
            {
                throw new IOException("The server sent a masked frame.");
            }

            long length = data[start + 1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (available < 4)
                {
                    break;
                }

                length = BinaryPrimitives.ReadUInt16BigEndian(data[(start + 2)..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (available < 10)
                {
                    break;
                }

                length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(start + 2)..]);
                header = 10;
            }

            if (opcode >= WebSocketFrames.Close)
            {
                // Control frames are short and whole, and may come between the fragments of a message.
                if (length > 125 || !final)
                {
                    throw new IOException("The server sent a malformed control frame.");
                }

                if (available < header + length)
                {
                    break;
                }

                var payload = data.Slice(start + header, (int)length);
                if (opcode == WebSocketFrames.Ping)
                {
                    pendingPong = payload.ToArray();
                }
                else if (opcode == WebSocketFrames.Close)
                {
                    CloseStatus = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
                    closeEcho = payload.Length >= 2 ? payload[..2].ToArray() : [];
                    more = false;
                }

                start += header + (int)length;
                continue;
            }

            if (opcode == WebSocketFrames.Continuation ? messageOpcode == 0 : messageOpcode != 0)
            {
                throw new IOException("The server interleaved or misnumbered message fragments.");
            }

            if (final && opcode != WebSocketFrames.Continuation && header + length <= data.Length)
            {
                if (header + length > available)
                {
                    break; // it fits the buffer: read the rest
                }

                // The common case: a whole message in one frame, already in the buffer.
                if (opcode == WebSocketFrames.Text)
                {
                    handler.OnText(data.Slice(start + header, (int)length), arrived);
                }

                start += header + (int)length;
                continue;
            }

            // Fragmented, or bigger than the buffer: copy the payload out as it arrives.
            if (assembled + length > MaxMessage)
            {
                throw new IOException($"A message of over {MaxMessage} bytes.");
            }

            if (opcode != WebSocketFrames.Continuation)
            {
                messageOpcode = opcode;
            }

            start += header;
            frameRemaining = length;
            frameFinal = final;
            inCopiedFrame = true;
        }

        if (start == end)
        {
            start = end = 0;
        }
        else if (start > 0)
        {
            data[start..end].CopyTo(data);
            end -= start;
            start = 0;
        }

        return more;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (assembly is null || assembly.Length - assembled < bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(16 * 1024, 2 * (assembled + bytes.Length)));
            if (assembly is not null)
            {
                assembly.AsSpan(0, assembled).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(assembly);
            }

            assembly = bigger;
        }

        bytes.CopyTo(assembly.AsSpan(assembled));
        assembled += bytes.Length;
    }
}
