using System.Net;
using System.Text;
using System.Text.Json;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// A SignalR JSON-protocol client on <c>/hubs/chat</c>, straight over WebSocket (the
/// skip-negotiation path): the protocol handshake, invocations, and records separated by 0x1e,
/// each offered to the sink first. A viewer invokes <c>JoinChannel</c> and waits for its
/// completion; a sender streams <c>SendMessage</c> invocations and counts their completions.
/// The keep-alive ping is the caller's job (every 10 s, against the server's 30 s client timeout).
/// </summary>
public sealed class SignalRFeedClient : IWebSocketHandler, IFeedClient
{
    private const byte RecordSeparator = 0x1e;
    private const string JoinId = "join";
    private static readonly byte[] Handshake = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] Ping = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly byte[] CompletionType = "{\"type\":3,"u8.ToArray();
    private static readonly byte[] CloseType = "{\"type\":7"u8.ToArray();
    private static readonly byte[] JoinCompletion = "\"invocationId\":\"join\""u8.ToArray();
    private static readonly byte[] OkTrue = "\"ok\":true"u8.ToArray();
    private static readonly byte[] Error = "\"error\":"u8.ToArray();
    private readonly IFeedSink? sink;
    private readonly WebSocketConnection connection;
    private readonly TaskCompletionSource handshaken = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource joined = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? partialRecord;
    private long accepted;
    private long refused;
    private string? lastRefusal;
    private string? ended;
    private int invocations;

    private SignalRFeedClient(WebSocketConnection connection, IFeedSink? sink)
    {
        this.connection = connection;
        this.sink = sink;
        Receiving = connection.ReceiveLoopAsync(this);
    }

    public WebSocketConnection Connection => connection;

    public Task Receiving { get; }

    /// <summary>SendMessage completions with <c>ok: true</c>.</summary>
    public long Accepted => Volatile.Read(ref accepted);

    /// <summary>SendMessage completions that refused (or failed) the message.</summary>
    public long Refused => Volatile.Read(ref refused);

    public string? LastRefusal => Volatile.Read(ref lastRefusal);

    /// <summary>The server's close message, when it sent one.</summary>
    public string? Ended => Volatile.Read(ref ended);

    public static async Task<SignalRFeedClient> ConnectAsync(IPEndPoint server, string? token, Memory<byte> buffer, IFeedSink? sink, CancellationToken cancellationToken)
    {
        var path = token is null ? "/hubs/chat" : $"/hubs/chat?access_token={Uri.EscapeDataString(token)}";
        var connection = await WebSocketConnection.ConnectAsync(server, path, null, buffer, cancellationToken);
        var client = new SignalRFeedClient(connection, sink);
        try
        {
            await connection.SendTextAsync(Handshake);
            await client.handshaken.Task.WaitAsync(cancellationToken);
            return client;
        }
        catch
        {
            connection.Abort();
            throw;
        }
    }

    public async Task JoinAsync(string channelId, CancellationToken cancellationToken)
    {
        await connection.SendTextAsync(Invocation(JoinId, "JoinChannel", channelId, null));
        await joined.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends without waiting for the completion (the server runs one invocation per connection at a time, in order).</summary>
    public Task SendMessageAsync(string channelId, string text)
    {
        var id = Interlocked.Increment(ref invocations).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return connection.SendTextAsync(Invocation(id, "SendMessage", channelId, text));
    }

    public Task<bool> PingAsync() => connection.TrySendTextAsync(Ping);

    public void OnText(ReadOnlySpan<byte> message, long arrived)
    {
        if (partialRecord is { } partial)
        {
            // A record split across WebSocket messages (never seen from this server, but allowed).
            partialRecord = null;
            OnRecords([.. partial, .. message], arrived);
            return;
        }

        OnRecords(message, arrived);
    }

    private void OnRecords(ReadOnlySpan<byte> records, long arrived)
    {
        int end;
        while ((end = records.IndexOf(RecordSeparator)) >= 0)
        {
            OnRecord(records[..end], arrived);
            records = records[(end + 1)..];
        }

        if (!records.IsEmpty)
        {
            partialRecord = records.ToArray();
        }
    }

    private void OnRecord(ReadOnlySpan<byte> record, long arrived)
    {
        // The server writes "type" first: a completion is told apart before the sink looks, so a
        // JoinChannel result carrying history with markers in it is not taken for live messages.
        if (record.StartsWith(CompletionType))
        {
            OnCompletion(record);
            return;
        }

        if (sink is not null && sink.TryScan(record, arrived))
        {
            return;
        }

        if (record.SequenceEqual("{}"u8))
        {
            handshaken.TrySetResult();
        }
        else if (record.StartsWith(CloseType) || (!handshaken.Task.IsCompleted && record.IndexOf(Error) >= 0))
        {
            var text = Encoding.UTF8.GetString(record[..Math.Min(record.Length, 300)]);
            Volatile.Write(ref ended, text);
            handshaken.TrySetException(new IOException($"SignalR handshake refused: {text}"));
            joined.TrySetException(new IOException($"SignalR connection closed: {text}"));
        }
    }

    private void OnCompletion(ReadOnlySpan<byte> record)
    {
        if (record.IndexOf(JoinCompletion) >= 0)
        {
            if (record.IndexOf(Error) >= 0)
            {
                joined.TrySetException(new IOException($"JoinChannel failed: {Encoding.UTF8.GetString(record)}"));
            }
            else
            {
                joined.TrySetResult();
            }
        }
        else if (record.IndexOf(OkTrue) >= 0)
        {
            Volatile.Write(ref accepted, accepted + 1);
        }
        else
        {
            Volatile.Write(ref lastRefusal, Encoding.UTF8.GetString(record[..Math.Min(record.Length, 300)]));
            Volatile.Write(ref refused, refused + 1);
        }
    }

    private static byte[] Invocation(string id, string target, string channelId, string? text) =>
        [.. JsonSerializer.SerializeToUtf8Bytes(new { type = 1, invocationId = id, target, arguments = text is null ? new[] { channelId } : [channelId, text] }), RecordSeparator];
}
