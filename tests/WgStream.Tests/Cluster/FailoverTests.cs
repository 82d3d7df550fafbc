using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using WgStream.GrainInterfaces.Chat;
using WgStream.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WgStream.Tests.Cluster;

/// <summary>
/// Two silos clustered through Redis and two Api nodes as Orleans clients, with chat flowing.
/// The silo hosting the room is killed with SIGKILL: the room reactivates on the other silo, every
/// acknowledged message is still in history, and viewers keep receiving. Then an Api node is
/// killed: its viewers reconnect to the other node and carry on.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class FailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { seq } }";
    private readonly string clusterId = $"failover-{Guid.NewGuid():N}";
    private readonly List<ApiProcess> silos = [];
    private readonly List<ApiProcess> apis = [];
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
            // No membership tuning: the shipped failure detection is what this test measures.
            ["WG_Mail__Host"] = "127.0.0.1",
            ["WG_Mail__Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Mail__Security"] = "None",
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

        // The test's own Orleans client, to ask the cluster where the room lives.
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
    public async Task Killing_the_rooms_silo_and_then_an_api_node_loses_no_acknowledged_message()
    {
        var owner = Client(apis[0]);
        var channel = await owner.RegisterAsync();
        var sender = Client(apis[1]);
        await sender.RegisterAsync();

        await using var viewer0 = await ViewerAsync(apis[0], channel.Id);
        await using var viewer1 = await ViewerAsync(apis[1], channel.Id);
        var acknowledged = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            acknowledged.Add(await SendAsync(sender, channel.Id, $"before-{i}"));
        }

        // Kill whichever silo hosts the room, so the reactivation path is the one exercised.
        var grains = orleansClient.Services.GetRequiredService<IClusterClient>();
        var address = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IChatRoomGrain>(channel.Id));
        var host = silos.Single(s => s.SiloPort == address!.Endpoint.Port);
        output.WriteLine($"room on silo :{host.SiloPort}; killing it");
        var killedAt = Stopwatch.StartNew();
        await host.KillAsync();

        // Keep trying to send through the surviving path; the gap is how long chat was unavailable.
        string first;
        while (true)
        {
            var attempt = await sender.SendAsync(Send, new { c = channel.Id, t = "after-0" });
            if (attempt.Succeeded)
            {
                first = "after-0";
                break;
            }

            // Issue 15's target is 5 s with the shipped defaults (the silo is declared dead in about
            // 3 s, and the Api retries a send cut off by the kill: ChatSender, ClusterRetry); bench
            // failover measures 1–3 s. The bound leaves room for a loaded CI machine.
            Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(10), $"chat did not recover in 10 s: {attempt.Body}");
            await Task.Delay(200);
        }

        output.WriteLine($"chat accepted messages again {killedAt.Elapsed.TotalSeconds:F1} s after the kill");
        acknowledged.Add(first);
        for (var i = 1; i < 10; i++)
        {
            acknowledged.Add(await SendAsync(sender, channel.Id, $"after-{i}"));
        }

        foreach (var viewer in new[] { viewer0, viewer1 })
        {
            await viewer.WaitForAsync("after-9");
        }

        Assert.Equal(acknowledged, await HistoryAsync(Client(apis[1]), channel.Id));

        // Now lose an Api node: its viewer reconnects to the other one and sees everything.
        await apis[0].KillAsync();
        await viewer0.WaitClosedAsync();
        await using var reconnected = await ViewerAsync(apis[1], channel.Id);
        Assert.Equal(acknowledged, reconnected.History);
        acknowledged.Add(await SendAsync(sender, channel.Id, "after-api-loss"));
        await reconnected.WaitForAsync("after-api-loss");
        await viewer1.WaitForAsync("after-api-loss");
    }

    private static GraphQLClient Client(ApiProcess api) => new(new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) });

    private static async Task<string> SendAsync(GraphQLClient client, Guid channelId, string text)
    {
        await client.DataAsync(Send, new { c = channelId, t = text });
        return text;
    }

    private static async Task<List<string>> HistoryAsync(GraphQLClient client, Guid channelId) =>
        (await client.DataAsync("query($c: ID!) { chatMessages(channelId: $c, last: 100) { messages { text } } }", new { c = channelId }))
            .GetProperty("chatMessages").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToList();

    private static async Task<Viewer> ViewerAsync(ApiProcess api, Guid channelId)
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(api.BaseAddress, "/hubs/chat")).Build();
        var viewer = new Viewer(connection);
        connection.On<JsonElement>("message", m => viewer.Received.Writer.TryWrite(m.GetProperty("text").GetString()!));
        connection.Closed += _ =>
        {
            viewer.Closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.StartAsync();
        var joined = await connection.InvokeAsync<JsonElement>("JoinChannel", channelId.ToString());
        viewer.History = joined.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()!).ToList();
        return viewer;
    }

    private sealed class Viewer(HubConnection connection) : IAsyncDisposable
    {
        public Channel<string> Received { get; } = Channel.CreateUnbounded<string>();

        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<string> History { get; set; } = [];

        /// <summary>Waits for a live message. Generous: after a failover the stream's queue and its pulling agent move to the surviving silo first.</summary>
        public async Task WaitForAsync(string text)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await Received.Reader.ReadAsync(timeout.Token) != text)
            {
            }
        }

        public Task WaitClosedAsync() => Closed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
