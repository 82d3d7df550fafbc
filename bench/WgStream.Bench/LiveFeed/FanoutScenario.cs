using System.Diagnostics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Chat fan-out: N viewers in one room (graphql-transport-ws <c>chatMessageAdded</c> or SignalR
/// <c>JoinChannel</c>), M senders posting R messages per second in total for D seconds. Warm-up
/// messages first, until every viewer has seen one (a graphql-transport-ws subscription is not
/// acknowledged, so this is how we know they are all in); then the measured window, from the
/// first send to the end of the drain, over which server and load-generator CPU are taken.
/// </summary>
public static class FanoutScenario
{
    private const string ChatQuery = "subscription($c: ID!) { chatMessageAdded(channelId: $c) { id seq text sentAt } }";

    /// <param name="serverSettings">Settings on top of the benchmark's own, for an A/B run (analytics-cost).</param>
    /// <param name="setUp">Runs once the owner is registered, before any viewer connects (going live, say); what it returns is disposed at the end.</param>
    public static async Task<FanoutResult> RunAsync(
        LiveFeedOptions options,
        IReadOnlyDictionary<string, string>? serverSettings = null,
        Func<LiveFeedServers, (Guid Id, string Token), Task<IAsyncDisposable?>>? setUp = null)
    {
        await using var servers = await LiveFeedServers.StartAsync(options.ApiNodes, serverSettings);
        var owner = await servers.RegisterAsync("owner");
        await using var prepared = setUp is null ? null : await setUp(servers, owner);
        var tokens = new List<string>();
        for (var s = 0; s < options.Senders; s++)
        {
            tokens.Add((await servers.RegisterAsync($"sender{s}")).Token);
        }

        var channelId = owner.Id.ToString();
        Console.WriteLine($"fan-out: {options.Transport}, {options.Viewers:N0} viewers on {options.ApiNodes} Api node(s), {options.Senders} senders (SignalR SendMessage), " +
            $"{options.Rate} msg/s for {options.Seconds} s, drain up to {options.DrainSeconds} s");

        var feed = new ChatFeed(options.Senders);
        var buffers = new ReceiveBufferPool(options.BufferKiB * 1024);
        var stats = new ChatViewerStats[options.Viewers];
        var subscribe = GraphQLWsFeedClient.SubscribeMessage(ChatQuery, new { c = channelId });
        var connect = await ConnectPhase.RunAsync<IFeedClient>(options.Viewers, options.Concurrency, TimeSpan.FromSeconds(300), async (v, cancellationToken) =>
        {
            var sink = stats[v] = new ChatViewerStats(feed);
            var server = servers.Endpoint(v);
            if (options.Transport == "signalr")
            {
                var client = await SignalRFeedClient.ConnectAsync(server, null, buffers.Take(), sink, cancellationToken);
                await Guard(client, () => client.JoinAsync(channelId, cancellationToken));
                return client;
            }

            var viewer = await GraphQLWsFeedClient.ConnectAsync(server, buffers.Take(), sink, cancellationToken);
            await Guard(viewer, () => viewer.SubscribeAsync(subscribe));
            return viewer;
        });
        var viewers = connect.Connected;
        var live = connect.Slots.Select((c, v) => c is null ? null : stats[v]).OfType<ChatViewerStats>().ToArray();
        Console.WriteLine($"connected {connect.Describe(options.Viewers)}; server RSS {servers.RssKiB() / 1024:N0} MiB");

        var senders = await ChatSenders.ConnectAsync(servers, tokens, channelId, buffers);
        await using var keepAlive = new SignalRKeepAlive([.. viewers.OfType<SignalRFeedClient>(), .. senders.Clients]);
        try
        {
            await WarmUpAsync(options, senders, live);
            return await MeasureAsync(options, servers, owner.Id, feed, senders, viewers, live);
        }
        finally
        {
            senders.Abort();
            foreach (var viewer in viewers)
            {
                viewer.Connection.Abort();
            }
        }
    }

    /// <summary>Aborts the connection when a step after connecting fails, so nothing is left open.</summary>
    private static async Task Guard(IFeedClient client, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch
        {
            client.Connection.Abort();
            throw;
        }
    }

    /// <summary>
    /// Warm-up messages until every viewer has seen one (60 s at most), then until they stop
    /// arriving. The next one goes out when the last has reached everyone or after 2 s, so a slow
    /// server is not handed a backlog before the measurement starts.
    /// </summary>
    private static async Task WarmUpAsync(LiveFeedOptions options, ChatSenders senders, ChatViewerStats[] live)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(60) && !live.All(s => s.WarmUps > 0))
        {
            await senders.SendWarmUpAsync();
            var sent = watch.Elapsed;
            while (watch.Elapsed - sent < TimeSpan.FromSeconds(2) && live.Any(s => s.WarmUps < senders.WarmUpsSent))
            {
                await Task.Delay(100);
            }
        }

        var ready = live.Count(s => s.WarmUps > 0);
        Console.WriteLine($"warm-up: {ready:N0}/{live.Length:N0} viewers receiving after {watch.Elapsed.TotalSeconds:F1} s ({senders.WarmUpsSent} warm-up messages)" +
            (ready < live.Length ? "; the others never got one" : string.Empty));
        if (options.WarmUpSeconds > 0)
        {
            await senders.SendWarmUpsAsync(options.Rate, TimeSpan.FromSeconds(options.WarmUpSeconds));
            Console.WriteLine($"warm-up at {options.Rate} msg/s for {options.WarmUpSeconds} s ({senders.WarmUpsSent} warm-up messages in all)");
        }

        long before = -1;
        for (var quiet = 0; quiet < 2 && watch.Elapsed < TimeSpan.FromSeconds(90);)
        {
            await Task.Delay(250);
            var now = live.Sum(s => s.WarmUps);
            quiet = now == before && senders.AllAnswered ? quiet + 1 : 0;
            before = now;
        }
    }

    private static async Task<FanoutResult> MeasureAsync(
        LiveFeedOptions options, LiveFeedServers servers, Guid channelId, ChatFeed feed, ChatSenders senders, IFeedClient[] viewers, ChatViewerStats[] live)
    {
        var storedBefore = await servers.StoredMessagesAsync(channelId);
        var acceptedBefore = senders.Accepted;
        var refusedBefore = senders.Refused;
        var self = Process.GetCurrentProcess();
        var serverTicks = servers.CpuTicks();
        var selfCpu = self.TotalProcessorTime;
        var allocated = GC.GetTotalAllocatedBytes();
        var collections = GC.CollectionCount(0);
        var started = Stopwatch.GetTimestamp();
        feed.Counting = true;
        var sendElapsed = await senders.RunAsync(options.Rate, TimeSpan.FromSeconds(options.Seconds));

        // Drain: until every message is answered and every viewer has every accepted one, or the
        // drain period is over. A server that falls behind leaves messages unanswered: the
        // database then says what it accepted (a message is stored before it is fanned out).
        var drainUntil = sendElapsed + TimeSpan.FromSeconds(options.DrainSeconds);
        while (Stopwatch.GetElapsedTime(started) < drainUntil)
        {
            var accepted = senders.Accepted - acceptedBefore;
            if (senders.AllAnswered && live.All(s => s.Received >= accepted))
            {
                break;
            }

            await Task.Delay(50);
        }

        feed.Counting = false;
        var window = Stopwatch.GetElapsedTime(started);
        serverTicks = servers.CpuTicks() - serverTicks;
        self.Refresh();
        selfCpu = self.TotalProcessorTime - selfCpu;
        allocated = GC.GetTotalAllocatedBytes() - allocated;
        collections = GC.CollectionCount(0) - collections;

        var stored = await servers.StoredMessagesAsync(channelId) - storedBefore;
        var answered = senders.Accepted - acceptedBefore;
        var refusedInRun = senders.Refused - refusedBefore;
        var deliveries = live.Sum(s => s.Received);
        var lost = live.Sum(s => Math.Max(0, stored - s.Received));
        var reordered = live.Sum(s => s.Reordered);
        var duplicates = live.Sum(s => s.Duplicates);
        var lastArrival = live.Select(s => s.LastArrival).DefaultIfEmpty(0).Max();
        var deliverySpan = lastArrival > started ? Stopwatch.GetElapsedTime(started, lastArrival) : window;
        var latency = feed.Latency.Summarise();
        var ended = viewers.Count(v => v.Ended is not null || !v.Connection.IsOpen);
        var serverCpu = ServerProcessStats.CpuTime(serverTicks);
        var perDelivery = deliveries == 0 ? 0 : serverCpu.TotalMicroseconds / deliveries;
        var selfPerDelivery = deliveries == 0 ? 0 : selfCpu.TotalMicroseconds / deliveries;
        var rss = servers.RssKiB() / 1024;
        var load = ServerProcessStats.LoadAverage();

        Console.WriteLine($"sent {senders.Sent} in {sendElapsed.TotalSeconds:F1} s ({senders.Sent / sendElapsed.TotalSeconds:F1} msg/s offered); by the end of the drain " +
            $"{stored} stored ({stored / sendElapsed.TotalSeconds:F1} msg/s in), {answered} answered ok, {refusedInRun} refused" +
            (refusedInRun > 0 ? $" (last: {senders.LastRefusal})" : string.Empty) + (senders.Sent > stored + refusedInRun ? $", {senders.Sent - stored - refusedInRun} not yet taken in" : string.Empty));
        Console.WriteLine($"deliveries {deliveries:N0} of {stored * live.Length:N0} expected, {deliveries / deliverySpan.TotalSeconds:N0}/s (first send to last delivery, {deliverySpan.TotalSeconds:F1} s); window with drain {window.TotalSeconds:F1} s");
        Console.WriteLine($"latency send→receive p50 {latency.P50Ms:N1} ms, p99 {latency.P99Ms:N1} ms, max {latency.MaxMs:N1} ms");
        Console.WriteLine($"lost {lost:N0}, reordered {reordered:N0}, duplicates {duplicates:N0}, connections or subscriptions ended by the server {ended:N0}" +
            (viewers.Select(v => v.Ended ?? v.Connection.Failure).FirstOrDefault(e => e is not null) is { } why ? $" (first: {why})" : string.Empty));
        Console.WriteLine($"server: RSS {rss:N0} MiB, CPU {serverCpu.TotalSeconds:F2} s in the window = {perDelivery:F1} µs per delivery");
        Console.WriteLine($"load generator: CPU {selfCpu.TotalSeconds:F2} s = {selfPerDelivery:F1} µs per delivery ({(perDelivery == 0 ? 0 : selfPerDelivery / perDelivery):P0} of the server's); allocated {allocated / 1024.0 / 1024:N1} MiB = {(deliveries == 0 ? 0 : allocated / (double)deliveries):N0} B per delivery, {collections} gen-0 GCs");
        Console.WriteLine($"row: | {options.Transport} {options.Viewers:N0} × {options.Rate} msg/s × {options.Seconds} s, {options.ApiNodes} node(s) | {live.Length:N0} | {stored / sendElapsed.TotalSeconds:F1} | " +
            $"{deliveries / deliverySpan.TotalSeconds:N0} | {latency.P50Ms:N1} / {latency.P99Ms:N1} / {latency.MaxMs:N1} ms | {lost:N0} | {reordered:N0} | {rss:N0} MiB | {perDelivery:F1} µs | {selfPerDelivery:F1} µs | {load} |");
        return new FanoutResult(stored, stored / sendElapsed.TotalSeconds, deliveries, deliveries / deliverySpan.TotalSeconds, latency.P50Ms, latency.P99Ms, latency.MaxMs, lost, reordered, serverCpu, perDelivery, selfPerDelivery, rss, load);
    }
}

/// <summary>One fan-out run's figures (the measured window), for a caller that compares runs.</summary>
public sealed record FanoutResult(
    long Stored,
    double StoredPerSecond,
    long Deliveries,
    double DeliveriesPerSecond,
    double P50Ms,
    double P99Ms,
    double MaxMs,
    long Lost,
    long Reordered,
    TimeSpan ServerCpu,
    double ServerMicrosecondsPerDelivery,
    double LoadGeneratorMicrosecondsPerDelivery,
    long RssMiB,
    string LoadAverage);
