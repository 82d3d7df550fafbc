using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using WgStream.GrainInterfaces.Chat;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench.Failover;

/// <summary>
/// Issue 15's failover figures, with what <c>./wg run --cluster 2</c> ships: two silos clustered
/// through Redis and two Api nodes as their clients, no membership or timeout tuning. Senders post
/// over HTTP and SignalR viewers watch on both nodes; then the silo hosting the room is SIGKILLed,
/// and later an Api node. Reports, for each kill, how long sends stalled, how long the interrupted
/// sends waited, when live delivery resumed, and whether any acknowledged message was lost or stored
/// twice.
/// </summary>
public static class FailoverBenchmark
{
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan AfterSiloKill = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan AfterApiKill = TimeSpan.FromSeconds(12);

    public static async Task RunAsync(string[] args)
    {
        var senders = BenchArgs.Int(args, "--senders", 20);
        var rate = BenchArgs.Int(args, "--rate", 50);
        var viewersPerNode = BenchArgs.Int(args, "--viewers", 25);
        var redis = Environment.GetEnvironmentVariable("WG_Cluster__Redis") ?? "127.0.0.1:6379";
        var clusterId = $"failover-bench-{Guid.NewGuid():N}";

        await using var database = await TestDatabase.CreateAsync();
        // The bench's only departures from the defaults: chat and sign-up rate limits out of the
        // way of the load, cheap password hashing, quiet logs. Failure detection is untouched.
        var settings = BenchServerSettings.For(database.ConnectionString);
        settings["WG_Cluster__Clustering"] = "Redis";
        settings["WG_Cluster__ClusterId"] = clusterId;
        // --server-log Orleans.Streams=Information: more of the servers' log, written to --log-dir at the end.
        var serverLog = BenchArgs.Text(args, "--server-log", string.Empty);
        if (serverLog.Split('=') is [var category, var level])
        {
            settings[$"Logging__LogLevel__{category}"] = level;
            settings["Logging__Console__TimestampFormat"] = "HH:mm:ss.fff ";
        }
        var silos = new List<ApiProcess> { ApiProcess.Silo(settings), ApiProcess.Silo(settings) };
        foreach (var silo in silos)
        {
            await silo.StartAsync();
        }

        settings["WG_Cluster__ApiMode"] = "Client";
        var apis = new List<ApiProcess> { new(settings), new(settings) };
        foreach (var api in apis)
        {
            await api.StartAsync();
        }

        using var orleans = await OrleansClientAsync(redis, clusterId);
        var nodes = apis.Select(a => a.BaseAddress).ToList();
        using var http = new HttpClient { BaseAddress = nodes[0] };
        var owner = await BenchAccounts.RegisterAsync(http, "owner");
        var tokens = new List<string>();
        for (var s = 0; s < senders; s++)
        {
            tokens.Add((await BenchAccounts.RegisterAsync(http, $"s{s}")).Token);
        }

        Console.WriteLine($"failover: 2 silos + 2 Api nodes (Redis membership, shipped defaults), {senders} HTTP senders at {rate} msg/s, {viewersPerNode} SignalR viewers per node, {Environment.ProcessorCount} cores");
        using var stop = new CancellationTokenSource();
        await using var viewers = new FailoverViewers(nodes, owner.Id);
        await viewers.ConnectAsync(viewersPerNode, stop.Token);
        var pings = PingAsync(viewers, stop.Token);
        var load = new FailoverSenders(nodes, tokens, owner.Id, rate);
        var sending = load.RunAsync(Steady + AfterSiloKill + AfterApiKill, stop.Token);

        await Task.Delay(Steady);
        var grains = orleans.Services.GetRequiredService<IClusterClient>();
        var address = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grains.GetGrain<IChatRoomGrain>(owner.Id));
        var host = silos.Single(s => s.SiloPort == address!.Endpoint.Port);
        var siloKilled = Stopwatch.GetTimestamp();
        await host.KillAsync();
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed the room's silo (:{host.SiloPort})");

        await Task.Delay(AfterSiloKill);
        var apiKilled = Stopwatch.GetTimestamp();
        await apis[0].KillAsync();
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed Api node 0");

        await sending;
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await pings.ContinueWith(_ => { });

        var attempts = load.Attempts.OrderBy(a => a.Started).ToList();
        var stored = await StoredAsync(database, owner.Id);
        FailoverReport.Print("silo kill", attempts, viewers.All, siloKilled, apiKilled, node: null);
        FailoverReport.Print("Api node kill", attempts, viewers.All, apiKilled, long.MaxValue, node: 0);
        FailoverReport.PrintIntegrity(attempts, stored);

        var logDir = BenchArgs.Text(args, "--log-dir", string.Empty);
        var names = new[] { "api-0", "api-1", "silo-0", "silo-1" };
        foreach (var (process, name) in apis.Concat(silos).Zip(names))
        {
            if (logDir.Length > 0)
            {
                Directory.CreateDirectory(logDir);
                await File.WriteAllTextAsync(Path.Combine(logDir, $"{name}.log"), process.Output);
            }

            await process.DisposeAsync();
        }

        await orleans.StopAsync();
    }

    private static async Task PingAsync(FailoverViewers viewers, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            foreach (var viewer in viewers.All)
            {
                await (viewer.Connection?.PingAsync() ?? Task.CompletedTask).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private static async Task<IHost> OrleansClientAsync(string redis, string clusterId)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Error);
        builder.UseOrleansClient(client => client
            .UseRedisClustering(redis)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = "wg-stream";
            }));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>Every stored message's text with how many rows carry it.</summary>
    private static async Task<Dictionary<string, int>> StoredAsync(TestDatabase database, Guid channelId)
    {
        await using var command = database.DataSource.CreateCommand("SELECT body, count(*) FROM chat_messages WHERE channel_id = @c GROUP BY body");
        command.Parameters.AddWithValue("c", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        var stored = new Dictionary<string, int>();
        while (await reader.ReadAsync())
        {
            stored[reader.GetString(0)] = (int)reader.GetInt64(1);
        }

        return stored;
    }
}
