using System.Diagnostics;
using WgStream.Bench.LiveFeed;

namespace WgStream.Bench.Analytics;

/// <summary>
/// <c>analytics-cost</c>: what recording analytics costs the chat path. The live-feed chat fan-out
/// (same load generator, same load) against a channel that is live, once per arm, in one run:
/// recording off (<c>Analytics:Enabled=false</c>), on at the shipped 60 s interval, and on at a 1 s
/// interval (sixty times the shipped sampling work). Each arm gets fresh servers and database; the
/// arms alternate with <c>--repeat</c>, so drift on the shared machine falls on all of them. After
/// each "on" run the samples written for the broadcast are read back, to show it was recording.
/// </summary>
public static class AnalyticsCostBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var options = LiveFeedOptions.Parse(args);
        var repeat = BenchArgs.Int(args, "--repeat", 1);
        Environment.SetEnvironmentVariable(LiveFeedServers.InlineCompletionsVariable, options.InlineCompletions ? "1" : "0");
        FileDescriptorLimit.RaiseToHard();
        Console.WriteLine($"analytics-cost {string.Join(' ', args)}");
        Console.WriteLine($"{Environment.ProcessorCount} cores shared by the servers and the load generator; load average {ServerProcessStats.LoadAverage()}");
        (string Name, Dictionary<string, string> Settings)[] arms =
        [
            ("recording off", new() { ["WG_Analytics__Enabled"] = "false" }),
            ("recording on, 60 s (shipped)", new()),
            ("recording on, 1 s", new() { ["WG_Analytics__SampleInterval"] = "00:00:01" }),
        ];

        var watch = Stopwatch.StartNew();
        var rows = new List<(string Arm, FanoutResult Result, Recorded Recorded)>();
        for (var round = 1; round <= repeat; round++)
        {
            foreach (var (name, settings) in arms)
            {
                settings["WG_Videos__Record"] = "false";
                Console.WriteLine($"--- round {round}: {name}");
                var recorded = new Recorded { Recording = !settings.ContainsKey("WG_Analytics__Enabled") };
                var result = await FanoutScenario.RunAsync(options, settings, (servers, owner) => GoLiveAsync(servers, owner, recorded));
                Console.WriteLine($"{name}: {recorded.Samples} samples written for the broadcast, {recorded.ChatMessages:N0} chat messages counted in them " +
                    $"of {recorded.Stored:N0} stored; its summary {(recorded.Finalized ? $"counts {recorded.SummaryChat:N0}" : "was not finalized")}");
                rows.Add((name, result, recorded));
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| arm | msg/s stored | deliveries/s | p50 / p99 / max | lost | server CPU per delivery | server CPU per stored message | samples (chat in them / stored / summary) | load average |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var (arm, r, rec) in rows)
        {
            Console.WriteLine($"| {arm} | {r.StoredPerSecond:F1} | {r.DeliveriesPerSecond:N0} | {r.P50Ms:N1} / {r.P99Ms:N1} / {r.MaxMs:N1} ms | {r.Lost:N0} | {r.ServerMicrosecondsPerDelivery:F1} µs | " +
                $"{(r.Stored == 0 ? 0 : r.ServerCpu.TotalMicroseconds / r.Stored):N0} µs | {rec.Samples:N0} ({rec.ChatMessages:N0} / {rec.Stored:N0} / {(rec.Finalized ? rec.SummaryChat.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "–")}) | {r.LoadAverage} |");
        }

        Console.WriteLine($"done in {watch.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>Goes live as nginx-rtmp would (on_publish, then on_update every 10 s), so the broadcast is sampled; reads the samples back at the end.</summary>
    private static async Task<IAsyncDisposable?> GoLiveAsync(LiveFeedServers servers, (Guid Id, string Token) owner, Recorded recorded)
    {
        var key = await servers.StreamKeyAsync(owner.Token);
        var status = await servers.PublishAsync(key);
        if (status != 302)
        {
            throw new InvalidOperationException($"on_publish answered {status}");
        }

        return new LiveBroadcast(servers, key, owner.Id, recorded);
    }

    private static async Task<(bool Finalized, long Chat)> SummaryAsync(LiveFeedServers servers, Guid channelId)
    {
        await using var command = servers.Database.DataSource.CreateCommand(
            "SELECT b.finalized_at IS NOT NULL, coalesce(b.chat_messages, 0) FROM streams s LEFT JOIN broadcast_stats b ON b.stream_id = s.stream_id WHERE s.channel_id = @c");
        command.Parameters.AddWithValue("c", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetBoolean(0), reader.GetInt64(1)) : (false, 0);
    }

    private sealed class Recorded
    {
        public bool Recording { get; init; }

        public long Samples { get; set; }

        public long ChatMessages { get; set; }

        public long Stored { get; set; }

        public bool Finalized { get; set; }

        public long SummaryChat { get; set; }
    }

    private sealed class LiveBroadcast : IAsyncDisposable
    {
        private readonly LiveFeedServers servers;
        private readonly string key;
        private readonly Guid channelId;
        private readonly Recorded recorded;
        private readonly CancellationTokenSource stop = new();
        private readonly Task heartbeats;

        public LiveBroadcast(LiveFeedServers servers, string key, Guid channelId, Recorded recorded)
        {
            (this.servers, this.key, this.channelId, this.recorded) = (servers, key, channelId, recorded);
            heartbeats = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(10), stop.Token);
                        await servers.HeartbeatAsync(key);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await heartbeats;
            // The end: the last span is written and the broadcast's totals counted from the chat table.
            await servers.PublishDoneAsync(key);
            var until = Stopwatch.StartNew();
            while (recorded.Recording && until.Elapsed < TimeSpan.FromSeconds(15) && !(await SummaryAsync(servers, channelId)).Finalized)
            {
                await Task.Delay(200);
            }

            (recorded.Finalized, recorded.SummaryChat) = await SummaryAsync(servers, channelId);
            recorded.Stored = await servers.StoredMessagesAsync(channelId);
            await using var command = servers.Database.DataSource.CreateCommand(
                "SELECT count(*), coalesce(sum(chat_messages), 0)::bigint FROM broadcast_samples WHERE channel_id = @c");
            command.Parameters.AddWithValue("c", channelId);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            recorded.Samples = reader.GetInt64(0);
            recorded.ChatMessages = reader.GetInt64(1);
            stop.Dispose();
        }
    }
}
