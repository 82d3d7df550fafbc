using System.Diagnostics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// N idle SignalR viewers joined to one room, kept alive with pings: what a connected viewer
/// costs the server in resident memory, and whether they all stay connected.
/// </summary>
public static class IdleScenario
{
    public static async Task RunAsync(LiveFeedOptions options)
    {
        await using var servers = await LiveFeedServers.StartAsync(options.ApiNodes);
        var owner = await servers.RegisterAsync("owner");
        var channelId = owner.Id.ToString();
        Console.WriteLine($"idle: {options.Viewers:N0} SignalR viewers (JoinChannel) on {options.ApiNodes} Api node(s), held {options.Seconds} s");
        var buffers = new ReceiveBufferPool(options.BufferKiB * 1024);

        // The first joins JIT the hub and activate the room's grains: not a per-viewer cost.
        var warmUp = await ConnectAsync(servers, buffers, channelId, Math.Min(50, options.Viewers), options.Concurrency);
        foreach (var client in warmUp.Connected)
        {
            client.Connection.Abort();
        }

        await ServerSettle.WaitAsync(servers, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30));
        var rssBefore = servers.RssKiB();
        var self = Process.GetCurrentProcess();
        var selfBefore = self.WorkingSet64;
        var connect = await ConnectAsync(servers, buffers, channelId, options.Viewers, options.Concurrency);
        var viewers = connect.Connected;
        await using var keepAlive = new SignalRKeepAlive(viewers);
        try
        {
            Console.WriteLine($"connected and joined {connect.Describe(options.Viewers)}");
            var settled = await ServerSettle.WaitAsync(servers, Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30));
            var rssJoined = servers.RssKiB();
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
            var rssHeld = servers.RssKiB();
            self.Refresh();
            var open = viewers.Count(v => v.Connection.IsOpen && v.Ended is null);
            var perViewer = viewers.Length == 0 ? 0 : (rssJoined - rssBefore) * 1024.0 / viewers.Length;
            var selfPerViewer = viewers.Length == 0 ? 0 : (self.WorkingSet64 - selfBefore) / (double)viewers.Length;
            var load = ServerProcessStats.LoadAverage();
            Console.WriteLine($"server RSS before {rssBefore / 1024:N0} MiB, joined {rssJoined / 1024:N0} MiB" + (settled is null ? " (still busy after 30 s)" : string.Empty) +
                $", after {options.Seconds} s {rssHeld / 1024:N0} MiB: {perViewer / 1024:N1} KiB per viewer");
            Console.WriteLine($"still connected after {options.Seconds} s: {open:N0}/{viewers.Length:N0}" +
                (viewers.Select(v => v.Ended ?? v.Connection.Failure).FirstOrDefault(e => e is not null) is { } why ? $" (first ended: {why})" : string.Empty));
            Console.WriteLine($"load generator: working set +{(self.WorkingSet64 - selfBefore) / 1024 / 1024:N0} MiB = {selfPerViewer / 1024:N1} KiB per viewer ({options.BufferKiB} KiB of it the receive buffer)");
            Console.WriteLine($"row: | idle {options.Viewers:N0}, {options.ApiNodes} node(s) | {viewers.Length:N0} | {connect.Elapsed.TotalSeconds:F1} s | {rssBefore / 1024:N0} → {rssJoined / 1024:N0} MiB | {perViewer / 1024:N1} KiB | {open:N0} | {load} |");
        }
        finally
        {
            foreach (var viewer in viewers)
            {
                viewer.Connection.Abort();
            }
        }
    }

    private static Task<ConnectPhase.Result<SignalRFeedClient>> ConnectAsync(LiveFeedServers servers, ReceiveBufferPool buffers, string channelId, int count, int concurrency) =>
        ConnectPhase.RunAsync(count, concurrency, TimeSpan.FromSeconds(300), async (v, cancellationToken) =>
        {
            var client = await SignalRFeedClient.ConnectAsync(servers.Endpoint(v), null, buffers.Take(), null, cancellationToken);
            try
            {
                await client.JoinAsync(channelId, cancellationToken);
                return client;
            }
            catch
            {
                client.Connection.Abort();
                throw;
            }
        });
}
