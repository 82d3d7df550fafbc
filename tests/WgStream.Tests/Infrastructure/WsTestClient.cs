using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace WgStream.Tests.Infrastructure;

/// <summary>A raw graphql-transport-ws peer for protocol tests: sends exactly what a test says and reports close codes.</summary>
public sealed class WsTestClient : IAsyncDisposable
{
    private readonly ClientWebSocket socket = new();

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public string? CloseDescription => socket.CloseStatusDescription;

    public static async Task<WsTestClient> ConnectAsync(Uri uri, string subProtocol = "graphql-transport-ws")
    {
        var client = new WsTestClient();
        client.socket.Options.AddSubProtocol(subProtocol);
        await client.socket.ConnectAsync(uri, CancellationToken.None);
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    public async Task InitAsync(string? token = null)
    {
        await SendAsync(token is null ? new { type = "connection_init" } : new { type = "connection_init", payload = new { token } });
        var ack = await ReceiveAsync();
        Assert.Equal("connection_ack", ack?.GetProperty("type").GetString());
    }

    /// <summary>The next message, or null when the server closed the socket.</summary>
    public async Task<JsonElement?> ReceiveAsync(TimeSpan? timeout = null) =>
        await ReceiveTextAsync(socket, timeout ?? TimeSpan.FromSeconds(10)) is { } text ? JsonDocument.Parse(text).RootElement.Clone() : null;

    /// <summary>The next text message on any client WebSocket, or null when the server closed it.</summary>
    public static async Task<string?> ReceiveTextAsync(WebSocket socket, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>Reads until the server closes; returns its close code.</summary>
    public async Task<int> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        while (await ReceiveAsync(timeout) is not null)
        {
        }

        return (int)socket.CloseStatus!.Value;
    }

    public async ValueTask DisposeAsync()
    {
        if (socket.State == WebSocketState.Open)
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }

        socket.Dispose();
    }
}
