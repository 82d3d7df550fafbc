using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace WgStream.Bench.Failover;

/// <summary>One send attempt as the sender saw it: when it started and ended (Stopwatch ticks) and how it ended (<c>ok</c>, an error code, or <c>connection</c>).</summary>
public sealed record SendAttempt(int Sender, string Text, int Node, long Started, long Ended, string Outcome)
{
    public bool Acknowledged => Outcome == "ok";
}

/// <summary>
/// Senders posting <c>sendChatMessage</c> over HTTP, each paced at its share of the rate and each
/// waiting for its answer, so a stalled send shows as one long attempt. A sender whose Api node
/// stops answering moves to the other node, as a load balancer would move it; a refused or failed
/// send is not retried by the sender (the Api's own retry is what is measured).
/// </summary>
public sealed class FailoverSenders(IReadOnlyList<Uri> nodes, IReadOnlyList<string> tokens, Guid channelId, double ratePerSecond)
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { seq } }";

    public ConcurrentQueue<SendAttempt> Attempts { get; } = new();

    public Task RunAsync(TimeSpan duration, CancellationToken cancellationToken) =>
        Task.WhenAll(tokens.Select((token, s) => Task.Run(() => SenderAsync(s, token, duration, cancellationToken), cancellationToken)));

    private async Task SenderAsync(int sender, string token, TimeSpan duration, CancellationToken cancellationToken)
    {
        var clients = nodes.Select(n => new HttpClient { BaseAddress = n, Timeout = TimeSpan.FromSeconds(45) }).ToList();
        foreach (var client in clients)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var node = sender % nodes.Count;
        var perSender = ratePerSecond / tokens.Count;
        var watch = Stopwatch.StartNew();
        for (var n = 0; watch.Elapsed < duration && !cancellationToken.IsCancellationRequested; n++)
        {
            var due = TimeSpan.FromSeconds(n / perSender);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed, cancellationToken);
            }

            var text = $"{sender}:{n}";
            var body = JsonSerializer.Serialize(new { query = Send, variables = new { c = channelId, t = text } });
            var started = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await clients[node].PostAsync("/graphql", content, cancellationToken);
                outcome = Outcome(await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (HttpRequestException)
            {
                outcome = "connection";
            }

            Attempts.Enqueue(new SendAttempt(sender, text, node, started, Stopwatch.GetTimestamp(), outcome));
            if (outcome == "connection")
            {
                node = (node + 1) % nodes.Count;
            }
        }

        clients.ForEach(c => c.Dispose());
    }

    private static string Outcome(string response)
    {
        using var json = JsonDocument.Parse(response);
        if (json.RootElement.TryGetProperty("errors", out var errors) && errors.GetArrayLength() > 0)
        {
            return errors[0].TryGetProperty("extensions", out var extensions) && extensions.TryGetProperty("code", out var code)
                ? code.GetString() ?? "error"
                : "error";
        }

        return "ok";
    }
}

/// <summary>
/// SignalR viewers in the room, spread over the Api nodes. Each records when every live message
/// arrived; one whose node goes away reconnects to another node and joins again, as the web client
/// does, and records when it was back.
/// </summary>
public sealed class FailoverViewers(IReadOnlyList<Uri> nodes, Guid channelId) : IAsyncDisposable
{
    private readonly List<Viewer> viewers = [];

    public IReadOnlyList<Viewer> All => viewers;

    public async Task ConnectAsync(int perNode, CancellationToken cancellationToken)
    {
        for (var i = 0; i < perNode * nodes.Count; i++)
        {
            var viewer = new Viewer(i % nodes.Count);
            viewers.Add(viewer);
            await viewer.ConnectAsync(nodes[viewer.Node], channelId, cancellationToken);
            viewer.Loop = KeepWatchingAsync(viewer, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var viewer in viewers)
        {
            await viewer.DisposeAsync();
        }
    }

    private async Task KeepWatchingAsync(Viewer viewer, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await viewer.Connection!.ReceiveLoopAsync(cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // The node closed the socket (or died): reconnect to the next one that answers.
            viewer.Lost = Stopwatch.GetTimestamp();
            await viewer.Connection.DisposeAsync();
            while (!cancellationToken.IsCancellationRequested)
            {
                var next = (viewer.Node + 1) % nodes.Count;
                try
                {
                    await viewer.ConnectAsync(nodes[next], channelId, cancellationToken);
                    viewer.Node = next;
                    viewer.Rejoined = Stopwatch.GetTimestamp();
                    break;
                }
                catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or HttpRequestException)
                {
                    await Task.Delay(200, cancellationToken);
                }
            }
        }
    }

    public sealed class Viewer(int node) : IAsyncDisposable
    {
        public int Node { get; set; } = node;

        public int FirstNode { get; } = node;

        public SignalRViewer? Connection { get; private set; }

        public Task? Loop { get; set; }

        public long? Lost { get; set; }

        public long? Rejoined { get; set; }

        /// <summary>Live arrivals: text → Stopwatch ticks of the first arrival.</summary>
        public ConcurrentDictionary<string, long> Arrivals { get; } = new();

        public async Task ConnectAsync(Uri node, Guid channelId, CancellationToken cancellationToken)
        {
            var connection = await SignalRViewer.ConnectAsync(node, null, cancellationToken);
            connection.OnMessage = (text, at) => Arrivals.TryAdd(text, at);
            Connection = connection;
            await connection.InvokeAsync("JoinChannel", channelId.ToString());
        }

        public async ValueTask DisposeAsync()
        {
            if (Connection is not null)
            {
                await Connection.DisposeAsync();
            }
        }
    }
}
