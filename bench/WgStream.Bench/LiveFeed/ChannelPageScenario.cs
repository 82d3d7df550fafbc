using System.Diagnostics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// A popular channel page: N graphql-transport-ws viewers subscribe to
/// <c>streamStatusChanged(channelId)</c>, then the channel goes live (nginx-rtmp's on_publish
/// callback posted to the Api, as in go-live). Reports how long subscribing took the server, the
/// PostgreSQL rows it wrote per subscriber, and who got the LIVE event how soon after the POST.
/// </summary>
public static class ChannelPageScenario
{
    private const string StatusQuery = "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind viewerCount } }";

    public static async Task RunAsync(LiveFeedOptions options)
    {
        await using var servers = await LiveFeedServers.StartAsync(options.ApiNodes);
        var owner = await servers.RegisterAsync("owner");
        var streamKey = await servers.StreamKeyAsync(owner.Token);
        Console.WriteLine($"channel-page: {options.Viewers:N0} graphql-transport-ws viewers of streamStatusChanged on {options.ApiNodes} Api node(s); settle limit {options.SettleSeconds} s");

        var buffers = new ReceiveBufferPool(options.BufferKiB * 1024);
        var sinks = new LiveEventSink[options.Viewers];
        var connect = await ConnectPhase.RunAsync(options.Viewers, options.Concurrency, TimeSpan.FromSeconds(300), (v, cancellationToken) =>
            GraphQLWsFeedClient.ConnectAsync(servers.Endpoint(v), buffers.Take(), sinks[v] = new LiveEventSink(), cancellationToken));
        var viewers = connect.Connected;
        Console.WriteLine($"connected and acknowledged {connect.Describe(options.Viewers)}");
        try
        {
            await MeasureAsync(options, servers, owner.Id.ToString(), streamKey, viewers, connect.Slots.Select((c, v) => c is null ? null : sinks[v]).OfType<LiveEventSink>().ToArray());
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                viewer.Connection.Abort();
            }
        }
    }

    private static async Task MeasureAsync(LiveFeedOptions options, LiveFeedServers servers, string channelId, string streamKey, GraphQLWsFeedClient[] viewers, LiveEventSink[] sinks)
    {
        var rowsBefore = await servers.RowsWrittenAsync();
        var rssBefore = servers.RssKiB();
        var ticksBefore = servers.CpuTicks();
        var subscribe = GraphQLWsFeedClient.SubscribeMessage(StatusQuery, new { c = channelId });
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(viewers, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (viewer, _) =>
        {
            await viewer.Connection.TrySendTextAsync(subscribe);
        });
        var sent = Stopwatch.GetElapsedTime(started);
        var settled = await ServerSettle.WaitAsync(servers, started, TimeSpan.FromSeconds(options.SettleSeconds));
        var subscribeTicks = servers.CpuTicks() - ticksBefore;
        var errors = viewers.Count(v => v.Ended is not null);
        Console.WriteLine($"subscribe frames sent in {sent.TotalSeconds:F1} s; server " +
            (settled is { } at ? $"settled {at.TotalSeconds:F1} s after the first" : $"still busy after the {options.SettleSeconds} s limit") +
            $"; {errors:N0} subscriptions answered with an error" +
            (viewers.Select(v => v.Ended).FirstOrDefault(e => e is not null) is { } first ? $" (first: {first})" : string.Empty));

        if (errors > 0 && servers.FirstLoggedException() is { } logged)
        {
            Console.WriteLine($"the server logged: {logged[..Math.Min(logged.Length, 300)]}");
        }

        // The statistics collector lags the writes by up to 10 s once backends go idle.
        await Task.Delay(TimeSpan.FromSeconds(11));
        var rows = await servers.RowsWrittenAsync() - rowsBefore;
        var rss = servers.RssKiB();
        var subscribeCpu = ServerProcessStats.CpuTime(subscribeTicks);
        Console.WriteLine($"PostgreSQL rows written while subscribing {rows:N0} = {(double)rows / viewers.Length:F2} per subscriber; " +
            $"server CPU {subscribeCpu.TotalSeconds:F1} s = {subscribeCpu.TotalMicroseconds / viewers.Length:N0} µs per subscriber; RSS {rss / 1024:N0} MiB (+{(rss - rssBefore) / 1024:N0} MiB)");

        var posted = Stopwatch.GetTimestamp();
        var status = await servers.PublishAsync(streamKey);
        var answered = Stopwatch.GetElapsedTime(posted);
        // Until everyone has it, or 5 s pass without a new arrival (30 s at most): the
        // viewers whose subscribe failed will never get one.
        var waitUntil = TimeSpan.FromSeconds(30);
        var lastCount = 0;
        var lastChange = TimeSpan.Zero;
        while (Stopwatch.GetElapsedTime(posted) < waitUntil)
        {
            var count = sinks.Count(s => s.LiveArrived != 0);
            if (count == sinks.Length)
            {
                break;
            }

            if (count != lastCount)
            {
                (lastCount, lastChange) = (count, Stopwatch.GetElapsedTime(posted));
            }
            else if (count > 0 && Stopwatch.GetElapsedTime(posted) - lastChange > TimeSpan.FromSeconds(5))
            {
                break;
            }

            await Task.Delay(50);
        }

        var arrivals = sinks.Where(s => s.LiveArrived != 0).Select(s => Stopwatch.GetElapsedTime(posted, s.LiveArrived).TotalMilliseconds).Order().ToArray();
        var load = ServerProcessStats.LoadAverage();
        Console.WriteLine($"go-live: on_publish answered {status} in {answered.TotalMilliseconds:F0} ms; LIVE received by {arrivals.Length:N0}/{viewers.Length:N0} (waited {Stopwatch.GetElapsedTime(posted).TotalSeconds:F0} s)" +
            (arrivals.Length > 0 ? $": first {arrivals[0]:N0} ms, median {arrivals[arrivals.Length / 2]:N0} ms, last {arrivals[^1]:N0} ms after the POST" : string.Empty));
        var subscribed = settled is { } s ? $"{s.TotalSeconds:F1} s" : $"> {options.SettleSeconds} s";
        Console.WriteLine($"row: | channel-page {options.Viewers:N0}, {options.ApiNodes} node(s) | {viewers.Length:N0} | {subscribed} | {errors:N0} | {(double)rows / viewers.Length:F2} | " +
            $"{arrivals.Length:N0} | " + (arrivals.Length > 0 ? $"{arrivals[0]:N0} / {arrivals[arrivals.Length / 2]:N0} / {arrivals[^1]:N0} ms" : "–") + $" | {rss / 1024:N0} MiB | {load} |");
    }
}
