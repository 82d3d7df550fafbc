using WgStream.Bench;
using WgStream.Bench.LiveFeed;

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
    case "live-feed":
        await LiveFeedBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "graphql-reads":
        await WgStream.Bench.GraphQLReads.GraphQLReadsBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "abuse":
        await WgStream.Bench.Abuse.AbuseBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "glass-to-glass":
        await WgStream.Bench.Media.GlassToGlassBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "vod-ready":
        await WgStream.Bench.Media.VodReadyBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "analytics-cost":
        await WgStream.Bench.Analytics.AnalyticsCostBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "analytics-capacity":
        await WgStream.Bench.Analytics.AnalyticsCapacityBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    case "failover":
        await WgStream.Bench.Failover.FailoverBenchmark.RunAsync(args.Skip(1).ToArray());
        break;
    default:
        Console.WriteLine("""
            usage: dotnet run -c Release --project bench/WgStream.Bench -- <benchmark> [options]
              graphql-reads [--seconds S] [--connections C] [--document-cache 0|1] [--shared-reads 0|1] [--live N]
              abuse [--repeat N]
              failover [--senders M] [--rate R] [--viewers V]
                  2 silos + 2 Api nodes with the shipped defaults under chat load (HTTP senders, V SignalR viewers per node):
                  SIGKILL the room's silo, then an Api node; send stall, in-flight waits, live resume, acknowledged-lost
                  the GraphQL request path (channel page cold and warm, liveChannels, me, sendChatMessage) against /healthz, with wrk
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
              glass-to-glass [--seconds S] [--warm-up W]
                  encoder frame → frame shown by hls.js in Chromium on the channel page, for Auto, source, 360p and Low latency (WebRTC through Janus)
                  (a clock drawn into the picture and read back off a canvas; needs ./wg web and /usr/bin/chromium)
              vod-ready [--seconds S] [--runs N]
                  a broadcast ends → its past broadcast listed with a VOD playlist, and the recorder's CPU while live
              notify-fanout [--followers N] [--batch B] [--runs R] [--telegram-percent T] [--email-percent E]
                  a channel with N followers goes live: PublishAsync latency and the batched SQL fan-out time
              live-feed [--viewers N] [--transport graphql|signalr] [--rate R] [--seconds S] [--senders M] [--api-nodes K] [--drain D]
                  chat fan-out to N viewers (graphql-transport-ws chatMessageAdded or SignalR JoinChannel) from a raw-socket
                  load generator: deliveries/s, latency, lost, reordered, server RSS, server and load-generator CPU per delivery
              live-feed --scenario channel-page [--viewers N] [--settle S]
                  N streamStatusChanged subscribers, then a go-live (on_publish): subscribe time, PostgreSQL rows per subscriber,
                  LIVE arrivals after the POST
              live-feed --scenario idle [--viewers N] [--seconds S]
                  N idle SignalR viewers held for S s: server RSS per viewer
                  (all: [--concurrency C] connects at a time, [--buffer-kib B] receive buffer per connection; K > 1 needs
                  `dotnet build Silo -c Release` too)
              analytics-cost [live-feed fan-out options] [--repeat N]
                  the live-feed chat fan-out against a live channel with analytics recording off, on (60 s) and on at 1 s
              analytics-capacity [--channels C] [--months M] [--per-month B] [--hours H] [--reads R]
                  broadcast_samples filled with C channels × B broadcasts a month × M months of H hours each: table size,
                  and the range reads' latency (a broadcast's series, a channel's page of summaries, 90 days, the last hour)
            Needs PostgreSQL as `./wg services` starts it; each run uses a throwaway database.
            """);
        break;
}
