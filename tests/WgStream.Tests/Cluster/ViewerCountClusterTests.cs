using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using WgStream.GrainInterfaces.Streams;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;
using Xunit.Abstractions;

namespace WgStream.Tests.Cluster;

/// <summary>
/// Viewer counts across two Api nodes (Orleans clients of two Redis-clustered silos): each node
/// reports its viewers of a channel to the channel's broadcaster grain under a lease it renews.
/// The count is the sum over nodes; losing the silo that holds the count restores it from the
/// nodes' next reports; a node killed with SIGKILL stops counting once its lease runs out.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ViewerCountClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(5);
    private readonly string clusterId = $"viewers-{Guid.NewGuid():N}";
    private readonly string ingestSecret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    private readonly List<ApiProcess> silos = [];
    private readonly List<ApiProcess> apis = [];
    private readonly List<IAsyncDisposable> viewers = [];
    private TestDatabase database = null!;
    private SmtpSink mail = null!;
    private IHost orleansClient = null!;

    private string Redis => Environment.GetEnvironmentVariable("WG_Cluster__Redis") ?? "127.0.0.1:6379";

    public async Task InitializeAsync()
    {
        database = await TestDatabase.CreateAsync();
        mail = new SmtpSink();
        var cluster = new Dictionary<string, string>
        {
            ["WG_Database__ConnectionString"] = database.ConnectionString,
            ["WG_Cluster__Clustering"] = "Redis",
            ["WG_Cluster__ClusterId"] = clusterId,
            ["WG_Mail__Host"] = "127.0.0.1",
            ["WG_Mail__Port"] = mail.Port.ToString(CultureInfo.InvariantCulture),
            ["WG_Mail__Security"] = "None",
            // No encoder sends on_update here: the broadcast must not end while the test runs.
            ["WG_Streams__HeartbeatTimeout"] = "01:00:00",
            ["WG_Streams__ViewerCountFlushInterval"] = "00:00:00.300",
            ["WG_Streams__IngestSecret"] = ingestSecret,
            ["WG_Streams__ViewerLease"] = Lease.ToString("c", CultureInfo.InvariantCulture),
        };
        for (var i = 0; i < 2; i++)
        {
            silos.Add(ApiProcess.Silo(cluster));
            await silos[i].StartAsync();
        }

        for (var i = 0; i < 2; i++)
        {
            apis.Add(new ApiProcess(new Dictionary<string, string>(cluster) { ["WG_Cluster__ApiMode"] = "Client" }));
            await apis[i].StartAsync();
        }

        orleansClient = Host.CreateDefaultBuilder()
            .UseOrleansClient(client => client
                .UseRedisClustering(Redis)
                .Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = clusterId;
                    o.ServiceId = "wg-stream";
                }))
            .Build();
        await orleansClient.StartAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var viewer in viewers)
        {
            await viewer.DisposeAsync();
        }

        await orleansClient.StopAsync();
        orleansClient.Dispose();
        foreach (var process in apis.Concat(silos))
        {
            await process.DisposeAsync();
        }

        await mail.DisposeAsync();
        await database.DisposeAsync();
        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(Redis);
        foreach (var server in connection.GetServers())
        {
            await foreach (var key in server.KeysAsync(pattern: $"*{clusterId}*"))
            {
                await connection.GetDatabase().KeyDeleteAsync(key);
            }
        }
    }

    [Fact]
    public async Task Viewers_on_both_nodes_are_counted_and_survive_a_silo_loss_and_a_dead_nodes_viewers_expire_with_its_lease()
    {
        var owner = Client(apis[0]);
        var channel = await owner.RegisterAsync();
        await GoLiveAsync(owner, apis[0]);

        // Two chat viewers on node 0; one chat viewer and one watchStream subscriber on node 1.
        await ChatViewerAsync(apis[0], channel.Id);
        await ChatViewerAsync(apis[0], channel.Id);
        var chatOn1 = await ChatViewerAsync(apis[1], channel.Id);
        var watchOn1 = await Subscription.StartAsync(
            new Uri($"ws://127.0.0.1:{apis[1].Port}/graphql"), "subscription($c: ID!) { watchStream(channelId: $c) { kind viewerCount } }", new { c = channel.Id });
        viewers.Add(watchOn1);
        Assert.Equal(4, await ViewerCountAsync(apis[1], channel.Username));
        Assert.Equal(4, await ViewerCountAsync(apis[0], channel.Username));

        // Lose the silo that holds the count: the grain comes back on the other silo with no
        // viewers in memory, and the nodes' next reports (every third of the lease) restore them.
        var grains = orleansClient.Services.GetRequiredService<IClusterClient>();
        var management = grains.GetGrain<IManagementGrain>(0);
        var broadcaster = grains.GetGrain<IBroadcasterGrain>(channel.Id);
        var hostPort = await PortAsync(management, broadcaster);
        var host = silos.Single(s => s.SiloPort == hostPort);
        await host.KillAsync();
        var clock = Stopwatch.StartNew();
        await WaitForAsync(async () =>
        {
            try
            {
                var live = await broadcaster.GetLiveAsync().WaitAsync(TimeSpan.FromSeconds(5));
                return live?.ViewerCount == 4 && await PortAsync(management, broadcaster) is { } port && port != host.SiloPort;
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), () => "the broadcaster did not come back with 4 viewers");
        output.WriteLine($"broadcaster reactivated with the whole count {clock.Elapsed.TotalSeconds:F1} s after killing its silo");
        // The channel's own copy (what viewerCount reads) follows, even if it was reactivated too.
        await WaitForCountAsync(apis[1], channel.Username, 4, TimeSpan.FromSeconds(60));

        // Kill node 0 without a goodbye: its two viewers are dropped when its lease runs out.
        await apis[0].KillAsync();
        clock.Restart();
        await WaitForCountAsync(apis[1], channel.Username, 2, Lease * 6);
        output.WriteLine($"dead node's viewers gone {clock.Elapsed.TotalSeconds:F1} s after the kill (lease {Lease.TotalSeconds} s)");
        Assert.True(clock.Elapsed < Lease + TimeSpan.FromSeconds(15), $"took {clock.Elapsed} with a {Lease} lease");

        // The live node keeps renewing: its viewers stay counted over several leases, and the
        // directory (liveChannels) catches up.
        var until = DateTime.UtcNow + (Lease * 2);
        while (DateTime.UtcNow < until)
        {
            Assert.Equal(2, await ViewerCountAsync(apis[1], channel.Username));
            await Task.Delay(250);
        }

        await WaitForAsync(async () => await DirectoryCountAsync(apis[1], channel.Id) == 2, TimeSpan.FromSeconds(30));

        // Leaving on a live node counts at once.
        await chatOn1.DisposeAsync();
        await WaitForCountAsync(apis[1], channel.Username, 1, TimeSpan.FromSeconds(30));
        await watchOn1.DisposeAsync();
        await WaitForCountAsync(apis[1], channel.Username, 0, TimeSpan.FromSeconds(30));
    }

    private async Task GoLiveAsync(GraphQLClient owner, ApiProcess api)
    {
        var key = (await owner.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = api.BaseAddress };
        using var response = await http.PostAsync(
            $"/ingest/rtmp/publish?secret={ingestSecret}", new FormUrlEncodedContent(StreamsFixture.RtmpForm("publish", key, clientId: 1)));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<HubConnection> ChatViewerAsync(ApiProcess api, Guid channelId)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(api.BaseAddress, "/hubs/chat")).Build();
        viewers.Add(connection);
        await connection.StartAsync();
        await connection.InvokeAsync<System.Text.Json.JsonElement>("JoinChannel", channelId.ToString());
        return connection;
    }

    private static async Task<int?> PortAsync(IManagementGrain management, IAddressable grain) => (await management.GetActivationAddress(grain))?.Endpoint.Port;

    private static GraphQLClient Client(ApiProcess api) => new(new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) });

    private static async Task<int> ViewerCountAsync(ApiProcess api, string username) =>
        (await Client(api).DataAsync("query($u: String!) { channel(username: $u) { viewerCount } }", new { u = username }))
            .GetProperty("channel").GetProperty("viewerCount").GetInt32();

    private static async Task<int?> DirectoryCountAsync(ApiProcess api, Guid channelId)
    {
        var edges = (await Client(api).DataAsync("{ liveChannels(first: 50) { edges { node { id viewerCount } } } }"))
            .GetProperty("liveChannels").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"));
        return edges.Where(n => n.GetProperty("id").GetString() == channelId.ToString()).Select(n => (int?)n.GetProperty("viewerCount").GetInt32()).SingleOrDefault();
    }

    /// <summary>Polls the public count until it is <paramref name="expected"/>; while a silo fails over, a query may fail and is retried.</summary>
    private async Task WaitForCountAsync(ApiProcess api, string username, int expected, TimeSpan bound)
    {
        var seen = new List<string>();
        await WaitForAsync(async () =>
        {
            GraphQLResponse response;
            try
            {
                response = await Client(api).SendAsync("query($u: String!) { channel(username: $u) { viewerCount } }", new { u = username });
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                response = new GraphQLResponse(HttpStatusCode.ServiceUnavailable, default, e.Message);
            }

            if (!response.Succeeded)
            {
                seen.Add("error");
                return false;
            }

            var count = response.Data.GetProperty("channel").GetProperty("viewerCount").GetInt32();
            if (seen.Count == 0 || seen[^1] != count.ToString(CultureInfo.InvariantCulture))
            {
                seen.Add(count.ToString(CultureInfo.InvariantCulture));
            }

            return count == expected;
        }, bound, () => $"viewerCount never reached {expected}; saw {string.Join(" → ", seen)}");
    }

    private static async Task WaitForAsync(Func<Task<bool>> probe, TimeSpan bound, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + bound;
        while (!await probe())
        {
            Assert.True(DateTime.UtcNow < deadline, describe?.Invoke() ?? $"not within {bound}");
            await Task.Delay(200);
        }
    }
}
