using System.Diagnostics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Signed-in users posting into the room over SignalR <c>SendMessage</c> (cheaper for the server
/// than a GraphQL mutation per message over HTTP: no request parse or execution). Open loop: message
/// k of the run goes out at k / rate seconds whatever the server is doing, so a server that falls
/// behind shows as latency rather than as a lower offered rate.
/// </summary>
public sealed class ChatSenders
{
    private readonly IReadOnlyList<SignalRFeedClient> clients;
    private readonly string channelId;
    private long sent;
    private long warmUps;

    private ChatSenders(IReadOnlyList<SignalRFeedClient> clients, string channelId)
    {
        this.clients = clients;
        this.channelId = channelId;
    }

    public IReadOnlyList<SignalRFeedClient> Clients => clients;

    /// <summary>Messages of the measured run sent so far (warm-ups not included).</summary>
    public long Sent => Volatile.Read(ref sent);

    public long WarmUpsSent => Volatile.Read(ref warmUps);

    /// <summary>Completions of every SendMessage so far, warm-ups included.</summary>
    public long Accepted => clients.Sum(c => c.Accepted);

    public long Refused => clients.Sum(c => c.Refused);

    public string? LastRefusal => clients.Select(c => c.LastRefusal).LastOrDefault(r => r is not null);

    public static async Task<ChatSenders> ConnectAsync(LiveFeedServers servers, IEnumerable<string> tokens, string channelId, ReceiveBufferPool buffers)
    {
        var clients = new List<SignalRFeedClient>();
        foreach (var token in tokens)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            clients.Add(await SignalRFeedClient.ConnectAsync(servers.Endpoint(0), token, buffers.Take(), null, timeout.Token));
        }

        return new ChatSenders(clients, channelId);
    }

    /// <summary>One warm-up message (sender index = number of senders): viewers see it but do not count it.</summary>
    public async Task SendWarmUpAsync()
    {
        var n = (int)Interlocked.Increment(ref warmUps);
        await clients[0].SendMessageAsync(channelId, FeedMarker.Format(clients.Count, n, Stopwatch.GetTimestamp()));
    }

    /// <summary>
    /// Warm-up messages at the run's rate for a while, spread over the senders like the run: the
    /// server's JIT tiers its hot paths up under this load, so the measured window sees a server
    /// in its steady state rather than one still compiling.
    /// </summary>
    public Task SendWarmUpsAsync(int rate, TimeSpan duration) =>
        PaceAsync(rate, duration, k =>
        {
            var n = (int)Interlocked.Increment(ref warmUps);
            return clients[(int)(k % clients.Count)].SendMessageAsync(channelId, FeedMarker.Format(clients.Count, n, Stopwatch.GetTimestamp()));
        });

    /// <summary>True once every message sent (warm-ups too) has its completion back.</summary>
    public bool AllAnswered => Accepted + Refused >= WarmUpsSent + Sent;

    /// <summary>Sends rate × duration messages, round-robin over the senders; returns how long that took.</summary>
    public Task<TimeSpan> RunAsync(int rate, TimeSpan duration) =>
        PaceAsync(rate, duration, async k =>
        {
            var sender = (int)(k % clients.Count);
            await clients[sender].SendMessageAsync(channelId, FeedMarker.Format(sender, (int)(k / clients.Count), Stopwatch.GetTimestamp()));
            Interlocked.Increment(ref sent);
        });

    /// <summary>Send number k is due k / rate seconds after the start (late ones go at once); returns how long it took.</summary>
    private static async Task<TimeSpan> PaceAsync(int rate, TimeSpan duration, Func<long, Task> send)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var watch = Stopwatch.StartNew();
        for (var k = 0L; k < total; k++)
        {
            var due = TimeSpan.FromSeconds((double)k / rate);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed);
            }

            await send(k);
        }

        return watch.Elapsed;
    }

    public void Abort()
    {
        foreach (var client in clients)
        {
            client.Connection.Abort();
        }
    }
}
