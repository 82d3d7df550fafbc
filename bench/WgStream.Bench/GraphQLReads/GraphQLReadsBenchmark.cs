using System.Text.Json;
using WgStream.Bench.LiveFeed;

namespace WgStream.Bench.GraphQLReads;

/// <summary>
/// The GraphQL request path of one Api node (its silo co-hosted) against the bare HTTP stack in the
/// same run, with wrk on the same machine: the web client's channel-page read right after start
/// (what a new node added under load serves) and warm, <c>liveChannels(first: 20)</c>, <c>me</c> with
/// a session, and the <c>sendChatMessage</c> mutation (chat rate limits raised for the run). Each step
/// reports requests/s, p50/p99/max, answers that were not 200, and the server's CPU per request from
/// its own /proc counters over that step.
/// </summary>
public static class GraphQLReadsBenchmark
{
    private const string ChannelPage = """
        query ChannelPage($u: String!) { channel(username: $u) { id username displayName bio avatarUrl bannerUrl
          socialLinks { id title url } followerCount isLive verified followedByMe viewerCount liveStream { title category playbackUrl } } }
        """;

    private const string LiveChannels = "query Live { liveChannels(first: 20) { edges { cursor node { id username displayName } } pageInfo { hasNextPage endCursor } } }";

    private const string LiveChannels50 = "query Live50 { liveChannels(first: 50) { edges { cursor node { id username displayName avatarUrl viewerCount streamTitle categorySlug thumbnailUrl } } pageInfo { hasNextPage endCursor } } }";

    private const string Me = "query Me { me { id username email } }";

    private const string Send = "mutation Send($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id seq } }";

    public static async Task RunAsync(string[] args)
    {
        var seconds = BenchArgs.Int(args, "--seconds", 10);
        var connections = BenchArgs.Int(args, "--connections", 64);
        var cache = BenchArgs.Int(args, "--document-cache", 1) != 0;
        var sharedReads = BenchArgs.Int(args, "--shared-reads", 1) != 0;
        var live = BenchArgs.Int(args, "--live", 60);
        await Wrk.EnsureInstalledAsync();

        // The A/B switches: a one-character cache holds no document, so every request parses and
        // validates; a zero duration makes every directory read its own PostgreSQL query.
        // The channels go live through the ingest callback alone, with no encoder behind them, so
        // there is no HLS to take thumbnails from: without this, 60 streams would start ffmpeg every
        // 5 s (the retry) and measure that instead of the request path.
        var extra = new Dictionary<string, string> { ["WG_Streams__ThumbnailFirstDelay"] = "1.00:00:00" };
        if (!cache)
        {
            extra["WG_GraphQL__DocumentCacheChars"] = "1";
        }

        if (!sharedReads)
        {
            extra["WG_Directory__SharedReadDuration"] = "00:00:00";
        }

        Console.WriteLine(
            $"graphql-reads: wrk -t1 -c{connections}, {seconds} s a step, document cache {(cache ? "on (the default)" : "off")}, "
            + $"shared directory reads {(sharedReads ? "on (the default)" : "off")}, {live} channels live; 2 cores shared by server and wrk");
        await using var servers = await LiveFeedServers.StartAsync(1, extra);
        var (channelId, token) = await servers.RegisterAsync("reads");
        await GoLiveAsync(servers, live);
        var username = await UsernameAsync(servers, token);
        var api = servers.Apis[0].BaseAddress;
        var graphql = new Uri(api, "/graphql");
        var page = Body(ChannelPage, new { u = username });
        // A node added to a deployment that has channels: a new process over the data made above.
        await servers.RestartApiAsync(0);
        // As a load balancer would: traffic once the node says it is ready (its warm-up is over).
        Console.WriteLine($"ready (/readyz) {(await servers.Apis[0].WaitReadyAsync(TimeSpan.FromSeconds(120))).TotalSeconds:F1} s after the Api answered /healthz");

        Console.WriteLine("| step | req/s | p50 / p99 / max | not 200 | server CPU per request |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        // First, as a node that has just become ready: no client has sent it this query before.
        await StepAsync(servers, "channel page, first 15 s after ready", graphql, connections, 15, page, null);
        await StepAsync(servers, "GET /healthz (the HTTP stack's ceiling)", new Uri(api, "/healthz"), connections, seconds, null, null);
        await StepAsync(servers, "channel page, warm", graphql, connections, seconds, page, null);
        await StepAsync(servers, "liveChannels(first: 20)", graphql, connections, seconds, Body(LiveChannels, null), null);
        await StepAsync(servers, $"liveChannels(first: 50), {live} live", graphql, connections, seconds, Body(LiveChannels50, null), null);
        var bearer = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" };
        await StepAsync(servers, "me, signed in", graphql, connections, seconds, Body(Me, null), bearer);
        await StepAsync(servers, "sendChatMessage", graphql, connections, seconds, Body(Send, new { c = channelId, t = "bench line" }), bearer);
    }

    private static async Task StepAsync(LiveFeedServers servers, string name, Uri url, int connections, int seconds, string? body, IReadOnlyDictionary<string, string>? headers)
    {
        var ticks = servers.CpuTicks();
        var result = await Wrk.RunAsync(url, connections, TimeSpan.FromSeconds(seconds), body, headers);
        var cpu = ServerProcessStats.CpuTime(servers.CpuTicks() - ticks);
        var perRequest = result.Requests == 0 ? 0 : cpu.TotalMicroseconds / result.Requests;
        Console.WriteLine(
            $"| {name} | {result.PerSecond:N0} | {Ms(result.P50)} / {Ms(result.P99)} / {Ms(result.Max)} ms | {result.Non2xx + result.SocketErrors:N0} | {perRequest:N0} µs |");
    }

    /// <summary>Channels live through the ingest callback, as nginx-rtmp would report their encoders.</summary>
    private static async Task GoLiveAsync(LiveFeedServers servers, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var (_, token) = await servers.RegisterAsync($"live{i}");
            var status = await servers.PublishAsync(await servers.StreamKeyAsync(token));
            if (status is not (200 or 302))
            {
                throw new InvalidOperationException($"Publish answered {status}.");
            }
        }
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "N2" : "N1", System.Globalization.CultureInfo.InvariantCulture);

    private static string Body(string query, object? variables) => JsonSerializer.Serialize(new { query, variables });

    private static async Task<string> UsernameAsync(LiveFeedServers servers, string token) =>
        (await servers.QueryAsync(token, "{ me { username } }")).GetProperty("me").GetProperty("username").GetString()!;
}
