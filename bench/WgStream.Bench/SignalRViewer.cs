using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace WgStream.Bench;

/// <summary>
/// A minimal SignalR JSON-protocol client over a raw WebSocket, light enough to run thousands in one
/// process: handshake, invocations, and a scan of incoming <c>message</c> events for their text.
/// </summary>
public sealed class SignalRViewer : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private static readonly byte[] TextMarker = "\"text\":\""u8.ToArray();
    private static readonly byte[] MessageTarget = "\"target\":\"message\""u8.ToArray();
    private readonly ClientWebSocket socket = new();
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private int invocationId;

    /// <summary>Called with each received message's text and the Stopwatch timestamp of its arrival.</summary>
    public Action<string, long>? OnMessage { get; set; }

    public static async Task<SignalRViewer> ConnectAsync(Uri baseAddress, string? token, CancellationToken cancellationToken)
    {
        var viewer = new SignalRViewer();
        var query = token is null ? string.Empty : $"?access_token={Uri.EscapeDataString(token)}";
        var uri = new UriBuilder(baseAddress) { Scheme = "ws", Path = "/hubs/chat", Query = query }.Uri;
        await viewer.socket.ConnectAsync(uri, cancellationToken);
        await viewer.SendRecordAsync("{\"protocol\":\"json\",\"version\":1}", cancellationToken);
        return viewer;
    }

    public Task InvokeAsync(string target, params string[] arguments)
    {
        var id = Interlocked.Increment(ref invocationId);
        var args = string.Join(',', arguments.Select(a => System.Text.Json.JsonSerializer.Serialize(a)));
        return SendRecordAsync($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":[{args}]}}", CancellationToken.None);
    }

    /// <summary>Fire-and-forget invocation (no completion sent back): how a sender streams messages.</summary>
    public Task SendNonBlockingAsync(string target, params string[] arguments)
    {
        var args = string.Join(',', arguments.Select(a => System.Text.Json.JsonSerializer.Serialize(a)));
        return SendRecordAsync($"{{\"type\":1,\"target\":\"{target}\",\"arguments\":[{args}]}}", CancellationToken.None);
    }

    public Task PingAsync() => SendRecordAsync("{\"type\":6}", CancellationToken.None);

    public async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var chunk = new byte[64 * 1024];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(chunk, cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var arrived = Stopwatch.GetTimestamp();
                buffer.Write(chunk.AsSpan(0, result.Count));
                var data = buffer.WrittenSpan;
                var consumed = 0;
                int end;
                while ((end = data[consumed..].IndexOf(RecordSeparator)) >= 0)
                {
                    Handle(data.Slice(consumed, end), arrived);
                    consumed += end + 1;
                }

                var rest = data[consumed..].ToArray();
                buffer.Clear();
                buffer.Write(rest);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }

        socket.Dispose();
    }

    private void Handle(ReadOnlySpan<byte> record, long arrived)
    {
        if (OnMessage is null || record.IndexOf(MessageTarget) < 0)
        {
            return;
        }

        var start = record.IndexOf(TextMarker);
        if (start < 0)
        {
            return;
        }

        var text = record[(start + TextMarker.Length)..];
        OnMessage(Encoding.UTF8.GetString(text[..text.IndexOf((byte)'"')]), arrived);
    }

    private async Task SendRecordAsync(string json, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\u001e");
        await sendLock.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(bytes, WebSocketMessageType.Text, true, cancellationToken);
        }
        finally
        {
            sendLock.Release();
        }
    }
}
