using System.Diagnostics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// <c>live-feed</c>: the real Api's live feeds at channel scale, driven by a load generator that
/// costs less per delivery than the server it measures (raw sockets, a hand-rolled WebSocket
/// client, a byte scan per event). Scenarios: chat fan-out (graphql-transport-ws or SignalR
/// viewers), a channel page's status subscription by many viewers then a go-live, and idle viewers.
/// </summary>
public static class LiveFeedBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var options = LiveFeedOptions.Parse(args);
        if (options.InlineCompletions)
        {
            // Socket completions run on the epoll threads instead of being queued to the thread
            // pool: no hand-off per received frame, which is most of what a cheap receiver costs.
            // Read once, when the first socket is made, so this must come before any networking;
            // the servers are started with it off (LiveFeedServers), as they would run anyway.
            Environment.SetEnvironmentVariable(LiveFeedServers.InlineCompletionsVariable, "1");
        }

        var limits = FileDescriptorLimit.RaiseToHard();
        Console.WriteLine($"live-feed {string.Join(' ', args)}");
        Console.WriteLine($"{Environment.ProcessorCount} cores shared by the servers and the load generator; load average {ServerProcessStats.LoadAverage()}; " +
            $"open files: soft limit {limits.SoftBefore} raised to {limits.Soft}, hard {limits.Hard}; clock tick {ServerProcessStats.ClockTicksPerSecond}/s; " +
            $"load generator socket completions {(options.InlineCompletions ? "inline on the epoll threads" : "on the thread pool")}");
        var watch = Stopwatch.StartNew();
        switch (options.Scenario)
        {
            case "channel-page":
                await ChannelPageScenario.RunAsync(options);
                break;
            case "idle":
                await IdleScenario.RunAsync(options);
                break;
            default:
                await FanoutScenario.RunAsync(options);
                break;
        }

        Console.WriteLine($"done in {watch.Elapsed.TotalSeconds:F0} s (set-up and clean-up included); load average {ServerProcessStats.LoadAverage()}");
    }
}
