using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Realtime;

/// <summary>The node fan-out seen from its sockets: unknown ids, viewer counting, shared execution, slow readers.</summary>
[Collection(LiveFeedCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class LiveFeedTests(LiveFeedFixture fixture)
{
    private const string ChatAdded = "subscription($c: ID!) { chatMessageAdded(channelId: $c) { seq text username } }";

    [Fact]
    public async Task Subscribing_to_a_channel_that_does_not_exist_is_NOT_FOUND_and_writes_nothing()
    {
        var nobody = Guid.NewGuid();
        var before = await StorageAsync();

        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync();
        foreach (var (id, query) in new[]
        {
            ("a", "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind } }"),
            ("b", "subscription($c: ID!) { watchStream(channelId: $c) { kind } }"),
            ("c", ChatAdded),
            ("d", "subscription($c: ID!) { chatEvents(channelId: $c) { kind } }"),
        })
        {
            await ws.SendAsync(new { id, type = "subscribe", payload = new { query, variables = new { c = nobody } } });
            var answer = (await ws.ReceiveAsync())!.Value;
            Assert.Equal(id, answer.GetProperty("id").GetString());
            // A source that cannot start is a result with errors (next, then complete), as for any field error.
            Assert.Equal("next", answer.GetProperty("type").GetString());
            Assert.Equal("NOT_FOUND", answer.GetProperty("payload").GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
            Assert.Equal("complete", (await ws.ReceiveAsync())?.GetProperty("type").GetString());
        }

        var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.Api.BaseAddress, "/hubs/chat")).Build();
        await using (hub)
        {
            await hub.StartAsync();
            var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => hub.InvokeAsync<JsonElement>("JoinChannel", nobody.ToString()));
            Assert.StartsWith("NOT_FOUND", refused.Message.Split(": ", 2)[^1], StringComparison.Ordinal);
        }

        // No grain state, stream pub-sub state or anything else was written for the made-up id.
        await Task.Delay(500);
        Assert.Equal(before, await StorageAsync());
    }

    [Fact]
    public async Task Subscribers_sharing_one_execution_each_get_their_own_id_and_the_right_room()
    {
        var owner = await fixture.CreateClient().RegisterAsync();
        var other = await fixture.CreateClient().RegisterAsync();
        var sender = fixture.CreateClient();
        sender.Token = owner.Token;

        var sockets = new List<WsTestClient>();
        try
        {
            // Three sockets on one room (one of them twice, under two ids) and one on another room.
            for (var i = 0; i < 3; i++)
            {
                var socket = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
                sockets.Add(socket);
                await socket.InitAsync();
                await socket.SendAsync(new { id = $"room-{i}", type = "subscribe", payload = new { query = ChatAdded, variables = new { c = owner.Id } } });
            }

            await sockets[0].SendAsync(new { id = "again", type = "subscribe", payload = new { query = ChatAdded, variables = new { c = owner.Id } } });
            var elsewhere = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
            sockets.Add(elsewhere);
            await elsewhere.InitAsync();
            await elsewhere.SendAsync(new { id = "other", type = "subscribe", payload = new { query = ChatAdded, variables = new { c = other.Id } } });
            foreach (var socket in sockets)
            {
                await PingAsync(socket);
            }

            await sender.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"shared hello\") { seq } }", new { c = owner.Id });

            var ids = new List<string>();
            foreach (var (socket, expected) in new[] { (sockets[0], 2), (sockets[1], 1), (sockets[2], 1) })
            {
                for (var n = 0; n < expected; n++)
                {
                    var next = (await socket.ReceiveAsync())!.Value;
                    Assert.Equal("next", next.GetProperty("type").GetString());
                    var message = next.GetProperty("payload").GetProperty("data").GetProperty("chatMessageAdded");
                    Assert.Equal("shared hello", message.GetProperty("text").GetString());
                    Assert.Equal(owner.Username, message.GetProperty("username").GetString());
                    ids.Add(next.GetProperty("id").GetString()!);
                }
            }

            Assert.Equal(["again", "room-0", "room-1", "room-2"], ids.Order());

            // The other room heard nothing; a ping answered first proves it.
            await elsewhere.SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await elsewhere.ReceiveAsync())?.GetProperty("type").GetString());

            // Completing one id stops that id only.
            await sockets[0].SendAsync(new { id = "again", type = "complete" });
            await PingAsync(sockets[0]);
            await sender.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"second\") { seq } }", new { c = owner.Id });
            var only = (await sockets[0].ReceiveAsync())!.Value;
            Assert.Equal("room-0", only.GetProperty("id").GetString());
            await sockets[0].SendAsync(new { type = "ping" });
            Assert.Equal("pong", (await sockets[0].ReceiveAsync())?.GetProperty("type").GetString());
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_reader_that_stops_reading_is_cut_off_with_4008_and_the_room_goes_on()
    {
        var owner = await fixture.CreateClient().RegisterAsync();
        var sender = fixture.CreateClient();
        sender.Token = owner.Token;

        // A small receive window, so the kernel holds little on the stalled reader's behalf and the
        // server's own per-socket budget (the shipped default) is what fills.
        using var stalled = new ClientWebSocket();
        stalled.Options.AddSubProtocol("graphql-transport-ws");
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        await stalled.ConnectAsync(fixture.WebSocketUri, invoker, CancellationToken.None);
        await SendAsync(stalled, new { type = "connection_init" });
        Assert.Contains("connection_ack", await WsTestClient.ReceiveTextAsync(stalled, TimeSpan.FromSeconds(20)));
        // Each event is made large with aliases (24 copies of the text), so a few hundred messages are
        // megabytes: more than the socket budget plus what the kernel buffers on the socket's behalf.
        var wide = "subscription($c: ID!) { chatMessageAdded(channelId: $c) { " + string.Join(' ', Enumerable.Range(0, 24).Select(i => $"t{i}: text")) + " } }";
        await SendAsync(stalled, new { id = "s", type = "subscribe", payload = new { query = wide, variables = new { c = owner.Id } } });

        await using var healthy = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await healthy.InitAsync();
        await healthy.SendAsync(new { id = "h", type = "subscribe", payload = new { query = ChatAdded, variables = new { c = owner.Id } } });
        await PingAsync(healthy);
        var healthyReceived = 0;
        var reading = Task.Run(async () =>
        {
            while (await healthy.ReceiveAsync(TimeSpan.FromSeconds(30)) is { } message && message.GetProperty("type").GetString() == "next")
            {
                if (Interlocked.Increment(ref healthyReceived) == Sent)
                {
                    return;
                }
            }
        });

        // About 7 MB for the stalled socket, far more than its 512 KiB budget; it reads none of them meanwhile.
        var text = new string('x', 480);
        await Parallel.ForEachAsync(Enumerable.Range(0, Sent), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await sender.DataAsync("mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { seq } }", new { c = owner.Id, t = $"{i} {text}" }));

        // The healthy viewer got everything, unaffected by the stalled one.
        await reading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Sent, healthyReceived);

        // The stalled one, reading again, finds what was already on its way, then the close.
        var received = 0;
        WebSocketCloseStatus? status = null;
        try
        {
            while (true)
            {
                var message = await WsTestClient.ReceiveTextAsync(stalled, TimeSpan.FromSeconds(20));
                if (message is null)
                {
                    status = stalled.CloseStatus;
                    break;
                }

                received++;
            }
        }
        catch (OperationCanceledException e)
        {
            throw new InvalidOperationException($"stalled: {received} received, then nothing; state {stalled.State}; server log: {fixture.Api.OutputTail(4000)}", e);
        }
        catch (WebSocketException)
        {
            // Aborted rather than closed: allowed only if the close frame could not be delivered in time.
        }

        Assert.True(received < Sent, $"The stalled reader was sent all {received} messages: it was never cut off.");
        Assert.Equal(4008, (int?)status);
        Assert.Contains("slow", stalled.CloseStatusDescription, StringComparison.OrdinalIgnoreCase);
    }

    private const int Sent = 600;

    private static Task SendAsync(ClientWebSocket socket, object message) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Everything sent before the ping has been handled once the pong is back.</summary>
    internal static async Task PingAsync(WsTestClient socket)
    {
        await socket.SendAsync(new { type = "ping" });
        while (await socket.ReceiveAsync() is { } message)
        {
            if (message.GetProperty("type").GetString() == "pong")
            {
                return;
            }
        }

        throw new InvalidOperationException("Closed before the pong.");
    }

    private async Task<(long Rows, long Versions)> StorageAsync()
    {
        await using var connection = await fixture.Database.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), coalesce(sum(version), 0) FROM orleans_storage", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
