using WgStream.Bench;

// Benchmarks print figures; BENCHMARKS.md records them with the command that produced them.
var command = args.FirstOrDefault() ?? "help";
switch (command)
{
    case "channel-reads":
        await ChannelReadsBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "rate-limit":
        await RateLimitBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "grain-calls":
        await GrainCallsBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "chat-fanout":
        await ChatFanoutBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "go-live":
        await GoLiveBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "notify-fanout":
        await NotifyFanoutBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    default:
        Console.WriteLine("""
            usage: dotnet run -c Release --project bench/WgStream.Bench -- <benchmark> [options]
              channel-reads [--channels N] [--seconds S] [--concurrency C]
                  channel(username) reads served from grain memory vs the same read from PostgreSQL
              chat-fanout [--viewers N] [--senders M] [--rate R] [--seconds S] [--api-nodes K]
                  N SignalR viewers in one room of the real Api, M senders at R msg/s in total
                  (K > 1: one Redis-clustered silo and K Api nodes as its clients)
              rate-limit [--keys N] [--seconds S] [--concurrency C]
                  the sliding-window check as a grain on a silo vs a Redis sorted set
              grain-calls [--grains N] [--seconds S] [--concurrency C]
                  grain calls per second one silo serves to an external Orleans client
              go-live [--runs N]
                  encoder start → streamStatusChanged LIVE over the WebSocket, through nginx-rtmp and the Api
                  (needs nginx with libnginx-mod-rtmp and ffmpeg, as ./wg services installs them)
              notify-fanout [--followers N] [--batch B] [--runs R] [--telegram-percent T] [--email-percent E]
                  a channel with N followers goes live: PublishAsync latency and the batched SQL fan-out time
            Needs PostgreSQL as `./wg services` starts it; each run uses a throwaway database.
            """);
        break;
}
