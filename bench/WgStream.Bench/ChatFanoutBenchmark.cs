using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench;

/// <summary>
/// N SignalR viewers in one room of the real Api (co-hosted silo, PostgreSQL), M senders posting a
/// total of R messages per second for D seconds. Reports deliveries per second, send→receive
/// latency (the send timestamp travels in the text; one clock, one machine), messages lost or out
/// of order per viewer (against what the server stored), and the server's resident memory.
/// </summary>
public static class ChatFanoutBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var viewers = BenchArgs.Int(args, "--viewers", 1000);
        var senders = BenchArgs.Int(args, "--senders", 10);
        var rate = BenchArgs.Int(args, "--rate", 50);
        var seconds = BenchArgs.Int(args, "--seconds", 10);
        var apiNodes = BenchArgs.Int(args, "--api-nodes", 1);

        await using var database = await TestDatabase.CreateAsync();
        var settings = BenchServerSettings.For(database.ConnectionString);

        // One node: the Api co-hosts its silo. Several: one standalone silo (Redis membership) and
        // that many Api nodes as its clients, viewers spread across them round-robin.
        var processes = new List<ApiProcess>();
        if (apiNodes > 1)
        {
            settings["WG_Cluster__Clustering"] = "Redis";
            settings["WG_Cluster__ClusterId"] = $"bench-{Guid.NewGuid():N}";
            processes.Add(ApiProcess.Silo(settings));
            await processes[0].StartAsync();
            settings["WG_Cluster__ApiMode"] = "Client";
        }

        var apis = new List<ApiProcess>();
        for (var i = 0; i < apiNodes; i++)
        {
            var node = new ApiProcess(settings);
            await node.StartAsync();
            apis.Add(node);
            processes.Add(node);
        }

        var api = apis[0];
        using var http = new HttpClient { BaseAddress = api.BaseAddress };

        var owner = await BenchAccounts.RegisterAsync(http, "owner");
        var senderTokens = new List<string>();
        for (var s = 0; s < senders; s++)
        {
            senderTokens.Add((await BenchAccounts.RegisterAsync(http, $"sender{s}")).Token);
        }

        Console.WriteLine($"chat-fanout: {viewers} viewers on {apiNodes} Api node(s), {senders} senders, {rate} msg/s for {seconds} s, {Environment.ProcessorCount} cores (server and clients share them)");
        var stats = new ViewerStats[viewers];
        using var stop = new CancellationTokenSource();
        var connections = new SignalRViewer[viewers];
        var receiving = new List<Task>();
        var connectWatch = Stopwatch.StartNew();
        for (var start = 0; start < viewers; start += 100)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(100, viewers - start)).Select(async v =>
            {
                var viewer = await SignalRViewer.ConnectAsync(apis[v % apis.Count].BaseAddress, null, stop.Token);
                var mine = stats[v] = new ViewerStats(senders);
                viewer.OnMessage = mine.Record;
                connections[v] = viewer;
                lock (receiving)
                {
                    receiving.Add(viewer.ReceiveLoopAsync(stop.Token));
                }

                await viewer.InvokeAsync("JoinChannel", owner.Id.ToString());
            }));
        }

        Console.WriteLine($"connected and joined in {connectWatch.Elapsed.TotalSeconds:F1} s; server RSS {Rss(processes)}");
        var keepAlive = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(10), stop.Token).ContinueWith(_ => { });
                await Task.WhenAll(connections.Select(c => c.PingAsync().ContinueWith(_ => { })));
            }
        });

        var senderConnections = new List<SignalRViewer>();
        foreach (var token in senderTokens)
        {
            var sender = await SignalRViewer.ConnectAsync(api.BaseAddress, token, stop.Token);
            receiving.Add(sender.ReceiveLoopAsync(stop.Token));
            senderConnections.Add(sender);
        }

        await Task.Delay(500);
        var perSender = (double)rate / senders;
        var sendWatch = Stopwatch.StartNew();
        await Task.WhenAll(senderConnections.Select((sender, s) => Task.Run(async () =>
        {
            var n = 0;
            while (sendWatch.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var due = TimeSpan.FromSeconds(n / perSender);
                if (due > sendWatch.Elapsed)
                {
                    await Task.Delay(due - sendWatch.Elapsed);
                }

                await sender.SendNonBlockingAsync("SendMessage", owner.Id.ToString(), $"{s}:{n}:{Stopwatch.GetTimestamp()}");
                n++;
            }
        })));
        var sendElapsed = sendWatch.Elapsed;

        // Let the tail drain, then compare with what the server stored.
        var accepted = 0L;
        for (var wait = 0; wait < 30; wait++)
        {
            await Task.Delay(500);
            accepted = await StoredAsync(database, owner.Id);
            if (stats.All(v => v.Received >= accepted))
            {
                break;
            }
        }

        var rss = Rss(processes);
        await stop.CancelAsync();
        var totalReceived = stats.Sum(v => v.Received);
        var latencies = stats.SelectMany(v => v.Latencies).Order().ToArray();
        var lost = stats.Sum(v => Math.Max(0, accepted - v.Received));
        var reordered = stats.Sum(v => v.Reordered);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"messages stored {accepted}, deliveries {totalReceived:N0} ({totalReceived / sendElapsed.TotalSeconds:N0}/s over the {sendElapsed.TotalSeconds:F1} s send window)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency send→receive p50 {Percentile(latencies, 0.50):F1} ms, p99 {Percentile(latencies, 0.99):F1} ms, max {latencies.LastOrDefault():F1} ms"));
        Console.WriteLine($"lost {lost}, reordered {reordered}, server RSS {rss}");
        foreach (var connection in connections.Concat(senderConnections))
        {
            await connection.DisposeAsync();
        }

        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }
    }

    private static async Task<long> StoredAsync(TestDatabase database, Guid channelId)
    {
        await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM chat_messages WHERE channel_id = @c");
        command.Parameters.AddWithValue("c", channelId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Resident memory of every server process together (silo and Api nodes).</summary>
    private static string Rss(IEnumerable<ApiProcess> processes)
    {
        long kib = 0;
        foreach (var pid in processes.Select(p => p.ProcessId).OfType<int>())
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            kib += line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        return $"{kib / 1024} MiB";
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];


    /// <summary>What one viewer saw: count, per-sender order, and a sample of latencies.</summary>
    private sealed class ViewerStats(int senders)
    {
        private readonly int[] lastSeen = Enumerable.Repeat(-1, senders).ToArray();

        public long Received { get; private set; }

        public long Reordered { get; private set; }

        public ConcurrentBag<double> Latencies { get; } = [];

        public void Record(string text, long arrived)
        {
            var parts = text.Split(':');
            if (parts.Length != 3)
            {
                return;
            }

            var sender = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var n = int.Parse(parts[1], CultureInfo.InvariantCulture);
            Received++;
            if (n <= lastSeen[sender])
            {
                Reordered++;
            }

            lastSeen[sender] = n;
            // Every viewer's latency for every tenth message keeps the sample large but bounded.
            if (n % 10 == 0)
            {
                Latencies.Add(Stopwatch.GetElapsedTime(long.Parse(parts[2], CultureInfo.InvariantCulture), arrived).TotalMilliseconds);
            }
        }
    }
}
