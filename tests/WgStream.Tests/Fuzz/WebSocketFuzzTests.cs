using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using WgStream.Tests.Infrastructure.Fuzz;

namespace WgStream.Tests.Fuzz;

/// <summary>
/// Seeded junk on both live sockets: graphql-transport-ws closes with one of its documented codes
/// (never 1011), the SignalR hub answers or closes without details; frames that break the WebSocket
/// protocol itself end that socket only. Afterwards the Api serves as before and logged no errors.
/// </summary>
[Collection(FuzzCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class WebSocketFuzzTests(FuzzFixture fixture)
{
    private const int Scripts = 300;
    private const int Concurrency = 8;

    /// <summary>The codes docs/graphql.md documents, and those the WebSocket layer itself uses for broken frames or text.</summary>
    private static readonly int[] GraphQLWsCloseCodes = [1000, 1002, 1007, 1009, 4008, 4400, 4401, 4403, 4408, 4409, 4429];

    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    /// <summary>A frame that never completes is a client gone quiet: the handshake timeouts (GraphQL:ConnectionInitTimeout 10 s, SignalR's 15 s) end it.</summary>
    private static readonly TimeSpan BrokenFrameLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Junk_on_graphql_transport_ws_closes_with_a_documented_code_or_is_answered()
    {
        var logFrom = fixture.Api.Output.Length;
        var scripts = new WebSocketFuzzScripts(FuzzFixture.Seed).GraphQLWs(Scripts).ToList();
        var failures = new ConcurrentQueue<string>();
        var closes = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(scripts.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, _) =>
        {
            var (close, received) = await PlayAsync(fixture.WebSocketUri, "graphql-transport-ws", item.s);
            closes.AddOrUpdate(close ?? 0, 1, (_, n) => n + 1);
            if (close is { } code && !GraphQLWsCloseCodes.Contains(code))
            {
                failures.Enqueue($"#{item.i} closed {code}: {string.Join(" | ", item.s)}");
            }

            if (received.Any(m => m.Contains("\"INTERNAL\"", StringComparison.Ordinal)))
            {
                failures.Enqueue($"#{item.i} answered INTERNAL: {string.Join(" | ", item.s)} -> {received.First(m => m.Contains("INTERNAL", StringComparison.Ordinal))}");
            }
        });

        Assert.True(failures.IsEmpty, $"seed {FuzzFixture.Seed}, {failures.Count} of {scripts.Count}:\n{string.Join('\n', failures.Take(20))}");
        Assert.True(closes.Keys.Count(c => c >= 4400) >= 3, string.Join(", ", closes.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}")));
        await AssertServesAsBeforeAsync(logFrom);
    }

    [Fact]
    public async Task Junk_on_the_signalr_hub_is_refused_without_details_and_without_server_errors()
    {
        var logFrom = fixture.Api.Output.Length;
        var uri = new Uri($"ws://127.0.0.1:{fixture.Api.Port}/hubs/chat");
        var scripts = new WebSocketFuzzScripts(FuzzFixture.Seed).SignalR(Scripts).ToList();
        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(scripts.Select((s, i) => (s, i)), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, _) =>
        {
            var (close, received) = await PlayAsync(uri, null, item.s);
            if (close == (int)WebSocketCloseStatus.InternalServerError)
            {
                failures.Enqueue($"#{item.i} closed 1011: {string.Join(" | ", item.s)}");
            }

            // EnableDetailedErrors is off: a HubException's message is the protocol's channel for our
            // codes (and SignalR's own "Method does not exist."), but no other exception's type,
            // message or stack reaches a client.
            if (received.FirstOrDefault(LeaksDetails) is { } leak)
            {
                failures.Enqueue($"#{item.i} leaked details: {leak}");
            }
        });

        Assert.True(failures.IsEmpty, $"seed {FuzzFixture.Seed}, {failures.Count} of {scripts.Count}:\n{string.Join('\n', failures.Take(20))}");
        await AssertServesAsBeforeAsync(logFrom);
    }

    private static bool LeaksDetails(string frame) =>
        frame.Replace("HubException", "", StringComparison.Ordinal).Contains("Exception", StringComparison.Ordinal)
        || frame.Contains("   at ", StringComparison.Ordinal)
        || frame.Contains(".cs:line", StringComparison.Ordinal);

    [Theory]
    [InlineData("/graphql", "graphql-transport-ws")]
    [InlineData("/hubs/chat", null)]
    public async Task Frames_that_break_the_websocket_protocol_end_only_that_socket(string path, string? subprotocol)
    {
        var logFrom = fixture.Api.Output.Length;
        byte[][] frames =
        [
            [0xF1, 0x80, 0, 0, 0, 0], // reserved bits set
            [0x81, 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o'], // a client frame without a mask
            [0x89, 0xFE, 0x00, 0xC8, 0, 0, 0, 0], // a ping longer than 125 bytes
            [0x09, 0x80, 0, 0, 0, 0], // a fragmented control frame
            [0x83, 0x80, 0, 0, 0, 0], // a reserved opcode
            [0x81, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0], // a length of 2^63
            [0x88, 0x81, 0, 0, 0, 0, 0x01], // a close frame with a one-byte body
        ];
        var stayedOpen = new List<string>();
        for (var i = 0; i < frames.Length; i++)
        {
            using var socket = await UpgradeAsync(path, subprotocol);
            await socket.SendAsync(frames[i], SocketFlags.None);
            var buffer = new byte[4096];
            var started = System.Diagnostics.Stopwatch.StartNew();
            using var timeout = new CancellationTokenSource(BrokenFrameLimit);
            try
            {
                while (await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0)
                {
                }
            }
            catch (SocketException)
            {
            }
            catch (OperationCanceledException)
            {
                stayedOpen.Add($"frame {i} ({Convert.ToHexString(frames[i])}) still open after {started.Elapsed.TotalSeconds:F1} s");
            }
        }

        Assert.True(stayedOpen.Count == 0, string.Join('\n', stayedOpen));

        await AssertServesAsBeforeAsync(logFrom);
    }

    /// <summary>Sends the script, then reads until the server closes or goes quiet; returns the close code (null when it stayed open) and what it sent.</summary>
    private static async Task<(int? Close, List<string> Received)> PlayAsync(Uri uri, string? subprotocol, IReadOnlyList<FuzzFrame> script, TimeSpan? quiet = null)
    {
        using var socket = new ClientWebSocket();
        if (subprotocol is not null)
        {
            socket.Options.AddSubProtocol(subprotocol);
        }

        await socket.ConnectAsync(uri, CancellationToken.None);
        var received = new List<string>();
        var reader = ReadAsync(socket, received, quiet ?? Quiet);
        foreach (var frame in script)
        {
            if (socket.State != WebSocketState.Open)
            {
                break;
            }

            try
            {
                await socket.SendAsync(frame.Bytes, frame.Binary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException or IOException)
            {
                // The server closed (or dropped) the socket mid-script: what it said is in the reader's list.
                break;
            }
        }

        await reader;
        if (socket.State == WebSocketState.Open)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            return (null, received);
        }

        return ((int?)socket.CloseStatus, received);
    }

    private static async Task ReadAsync(ClientWebSocket socket, List<string> received, TimeSpan quietFor)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var quiet = new CancellationTokenSource(quietFor);
            try
            {
                var result = await socket.ReceiveAsync(buffer, quiet.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            catch (OperationCanceledException)
            {
                // Cancelling a receive aborts a ClientWebSocket; a quiet socket is left open by not reading on.
                return;
            }
            catch (WebSocketException)
            {
                return;
            }
        }
    }

    private async Task<Socket> UpgradeAsync(string path, string? subprotocol)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, fixture.Api.Port));
        var protocol = subprotocol is null ? "" : $"Sec-WebSocket-Protocol: {subprotocol}\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{protocol}\r\n"), SocketFlags.None);
        var buffer = new byte[4096];
        var head = new StringBuilder();
        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None);
            Assert.True(read > 0, $"{path} closed during the upgrade: {head}");
            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        return socket;
    }

    private async Task AssertServesAsBeforeAsync(int logFrom)
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        var (close, received) = await PlayAsync(fixture.WebSocketUri, "graphql-transport-ws",
        [
            FuzzFrame.Text("{\"type\":\"connection_init\"}"),
            FuzzFrame.Text("{\"type\":\"subscribe\",\"id\":\"1\",\"payload\":{\"query\":\"{ __typename }\"}}"),
        ], quiet: TimeSpan.FromSeconds(5));
        Assert.Null(close);
        Assert.Contains(received, m => m.Contains("\"__typename\":\"Query\"", StringComparison.Ordinal));
        fixture.AssertNoErrorsLoggedSince(logFrom);
    }
}
