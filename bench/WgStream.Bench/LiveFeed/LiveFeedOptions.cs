namespace WgStream.Bench.LiveFeed;

/// <summary>The <c>live-feed</c> command's flags.</summary>
public sealed record LiveFeedOptions(
    string Scenario,
    int Viewers,
    string Transport,
    int Rate,
    int Seconds,
    int Senders,
    int ApiNodes,
    int DrainSeconds,
    int Concurrency,
    int BufferKiB,
    int SettleSeconds,
    bool InlineCompletions,
    int WarmUpSeconds)
{
    public static LiveFeedOptions Parse(string[] args)
    {
        var scenario = BenchArgs.Text(args, "--scenario", "fanout");
        var options = new LiveFeedOptions(
            scenario,
            BenchArgs.Int(args, "--viewers", scenario switch { "idle" => 18_000, "channel-page" => 10_000, _ => 1_000 }),
            BenchArgs.Text(args, "--transport", "graphql"),
            BenchArgs.Int(args, "--rate", 20),
            BenchArgs.Int(args, "--seconds", scenario == "idle" ? 15 : 10),
            BenchArgs.Int(args, "--senders", 4),
            BenchArgs.Int(args, "--api-nodes", 1),
            BenchArgs.Int(args, "--drain", 15),
            BenchArgs.Int(args, "--concurrency", 64),
            BenchArgs.Int(args, "--buffer-kib", 8),
            BenchArgs.Int(args, "--settle", 120),
            BenchArgs.Int(args, "--inline-completions", 1) != 0,
            BenchArgs.Int(args, "--warmup", 20));
        if (options.Scenario is not ("fanout" or "channel-page" or "idle"))
        {
            throw new ArgumentException($"--scenario is fanout, channel-page or idle, not '{options.Scenario}'.");
        }

        if (options.Transport is not ("graphql" or "signalr"))
        {
            throw new ArgumentException($"--transport is graphql or signalr, not '{options.Transport}'.");
        }

        if (options.Viewers < 1 || options.Rate < 1 || options.Seconds < 1 || options.Senders < 1 || options.ApiNodes < 1
            || options.Concurrency < 1 || options.BufferKiB is < 1 or > 1024 || options.WarmUpSeconds < 0)
        {
            throw new ArgumentException("--viewers, --rate, --seconds, --senders, --api-nodes and --concurrency are at least 1; --buffer-kib 1 to 1024; --warmup at least 0.");
        }

        return options;
    }
}
