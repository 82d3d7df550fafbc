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
        var grains = BenchArgs.Int(args, "--grains", 1000);
        var seconds = BenchArgs.Int(args, "--seconds", 10);
        var concurrency = BenchArgs.Int(args, "--concurrency", 64);

        await using var silo = await StandaloneSilo.StartAsync("bench-calls");
        var cluster = silo.Cluster;

        var ids = Enumerable.Range(0, grains).Select(_ => Guid.NewGuid()).ToArray();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) =>
            await cluster.GetGrain<IChannelGrain>(id).CreateAsync($"calls_{id:N}"[..20], DateTimeOffset.UtcNow));

        Console.WriteLine($"grain-calls: 1 silo process, an external client, {grains} channel grains, {concurrency} concurrent callers, {seconds} s, {Environment.ProcessorCount} cores");
        await Measurement.RunAsync("ChannelGrain.GetAsync via the gateway", concurrency, TimeSpan.FromSeconds(seconds), async i =>
        {
            _ = await cluster.GetGrain<IChannelGrain>(ids[i % ids.Length]).GetAsync() ?? throw new InvalidOperationException();
        });
    }
}
