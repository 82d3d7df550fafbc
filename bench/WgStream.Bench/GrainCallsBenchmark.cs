using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using WgStream.GrainInterfaces.Channels;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench;

/// <summary>
/// Grain calls per second one standalone silo serves to an external Orleans client (what an Api node
/// in client mode does for every request): warm <c>ChannelGrain.GetAsync</c> reads
/// spread over many grains, from C concurrent callers.
/// </summary>
public static class GrainCallsBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var grains = Option(args, "--grains", 1000);
        var seconds = Option(args, "--seconds", 10);
        var concurrency = Option(args, "--concurrency", 64);

        await using var database = await TestDatabase.CreateAsync();
        await using var silo = ApiProcess.Silo(new Dictionary<string, string>
        {
            ["WG_Database__ConnectionString"] = database.ConnectionString,
            ["WG_Cluster__ClusterId"] = "bench-calls",
            ["Logging__LogLevel__Default"] = "Error",
        });
        await silo.StartAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(silo.GatewayPort)
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "bench-calls";
                o.ServiceId = "wg-stream";
            }));
        using var host = builder.Build();
        await host.StartAsync();
        var cluster = host.Services.GetRequiredService<IClusterClient>();

        var ids = Enumerable.Range(0, grains).Select(_ => Guid.NewGuid()).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            await cluster.GetGrain<IChannelGrain>(id).CreateAsync($"calls_{id:N}"[..20], DateTimeOffset.UtcNow));

        Console.WriteLine($"grain-calls: 1 silo process, an external client, {grains} channel grains, {concurrency} concurrent callers, {seconds} s, {Environment.ProcessorCount} cores");
        await Measurement.RunAsync("ChannelGrain.GetAsync via the gateway", concurrency, TimeSpan.FromSeconds(seconds), async i =>
        {
            _ = await cluster.GetGrain<IChannelGrain>(ids[i % ids.Length]).GetAsync() ?? throw new InvalidOperationException();
        });
        await host.StopAsync();
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }
}
