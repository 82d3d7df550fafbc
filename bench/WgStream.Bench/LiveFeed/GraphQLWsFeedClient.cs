using System.Net;
using System.Text;
using System.Text.Json;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// A graphql-transport-ws viewer on <c>/graphql</c>: <c>connection_init</c>, wait for
/// <c>connection_ack</c>, one <c>subscribe</c>; every <c>next</c> goes to the sink. An
/// <c>error</c> or <c>complete</c> from the server (the subscription was ended) is remembered.
/// </summary>
public sealed class GraphQLWsFeedClient : IWebSocketHandler, IFeedClient
{
    private static readonly byte[] Init = """{"type":"connection_init"}"""u8.ToArray();
    private static readonly byte[] Pong = """{"type":"pong"}"""u8.ToArray();
    private static readonly byte[] AckType = "\"type\":\"connection_ack\""u8.ToArray();
    private static readonly byte[] PingType = "\"type\":\"ping\""u8.ToArray();
    private static readonly byte[] ErrorType = "\"type\":\"error\""u8.ToArray();
    private static readonly byte[] CompleteType = "\"type\":\"complete\""u8.ToArray();
    private static readonly byte[] NextType = "\"type\":\"next\""u8.ToArray();
    private readonly IFeedSink sink;
    private readonly WebSocketConnection connection;
    private readonly TaskCompletionSource acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? ended;

    private GraphQLWsFeedClient(WebSocketConnection connection, IFeedSink sink)
    {
        this.connection = connection;
        this.sink = sink;
        Receiving = connection.ReceiveLoopAsync(this);
    }

    public WebSocketConnection Connection => connection;

    public Task Receiving { get; }

    /// <summary>The first error, complete, or next the sink did not take (one with errors), when the server ended the subscription.</summary>
    public string? Ended => Volatile.Read(ref ended);

    /// <summary>The subscribe message every viewer of one query sends (id 1), built once.</summary>
    public static byte[] SubscribeMessage(string query, object variables) =>
        JsonSerializer.SerializeToUtf8Bytes(new { id = "1", type = "subscribe", payload = new { query, variables } });

    public static async Task<GraphQLWsFeedClient> ConnectAsync(IPEndPoint server, Memory<byte> buffer, IFeedSink sink, CancellationToken cancellationToken)
    {
        var connection = await WebSocketConnection.ConnectAsync(server, "/graphql", "graphql-transport-ws", buffer, cancellationToken);
        var client = new GraphQLWsFeedClient(connection, sink);
        try
        {
            await connection.SendTextAsync(Init);
            await client.acknowledged.Task.WaitAsync(cancellationToken);
            return client;
        }
        catch
        {
            connection.Abort();
            throw;
        }
    }

    public Task SubscribeAsync(byte[] subscribeMessage) => connection.SendTextAsync(subscribeMessage);

    public void OnText(ReadOnlySpan<byte> message, long arrived)
    {
        if (sink.TryScan(message, arrived))
        {
            return;
        }

        if (message.IndexOf(AckType) >= 0)
        {
            acknowledged.TrySetResult();
        }
        else if (message.IndexOf(PingType) >= 0)
        {
            _ = connection.TrySendTextAsync(Pong);
        }
        else if (message.IndexOf(ErrorType) >= 0 || message.IndexOf(CompleteType) >= 0 || message.IndexOf(NextType) >= 0)
        {
            // The first says why; the complete that follows a failed subscribe says nothing.
            Interlocked.CompareExchange(ref ended, Encoding.UTF8.GetString(message[..Math.Min(message.Length, 300)]), null);
        }
    }
}
