using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using StackExchange.Redis;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench;

/// <summary>
/// Where should cluster-wide rate-limit counters live? The same sliding-window check two ways, as
/// an Api node in client mode would make it: (a) the <c>RateLimitGrain</c> on a separate silo
/// process, over the gateway; (b) a Redis sorted set per key (ZREMRANGEBYSCORE + ZCARD + ZADD in
/// one Lua script, atomic on the server). Same keys, same concurrency.
/// </summary>
public static class RateLimitBenchmark
{
    private const string SlidingWindow = """
        redis.call('ZREMRANGEBYSCORE', @key, 0, @now - @window)
        if redis.call('ZCARD', @key) >= tonumber(@limit) then return 0 end
        redis.call('ZADD', @key, @now, @member)
        redis.call('PEXPIRE', @key, @window)
        return 1
        """;

    public static async Task RunAsync(string[] args)
    {
        var keys = BenchArgs.Int(args, "--keys", 1000);
        var seconds = BenchArgs.Int(args, "--seconds", 10);
        var concurrency = BenchArgs.Int(args, "--concurrency", 64);
        var redisConfiguration = Environment.GetEnvironmentVariable("WG_Cluster__Redis") ?? "127.0.0.1:6379";

        await using var silo = await StandaloneSilo.StartAsync("bench-ratelimit");
        var cluster = silo.Cluster;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        var db = redis.GetDatabase();
        var script = LuaScript.Prepare(SlidingWindow);
        var prefix = $"bench-rl:{Guid.NewGuid():N}:";

        // Generous limits: the benchmark measures the check, not refusals.
        var rule = new RateLimitRule(1_000_000, TimeSpan.FromMinutes(1));
        Console.WriteLine($"rate-limit: {keys} keys, {concurrency} concurrent callers, {seconds} s each, {Environment.ProcessorCount} cores (silo, Redis and caller share them)");
        await Measurement.RunAsync("RateLimitGrain on a silo, via the gateway", concurrency, TimeSpan.FromSeconds(seconds), async i =>
        {
            var decision = await cluster.GetGrain<IRateLimitGrain>($"bench:{i % keys}").AcquireAsync(rule);
            if (!decision.Allowed)
            {
                throw new InvalidOperationException("refused");
            }
        });
        await Measurement.RunAsync("Redis sorted set (Lua, atomic)", concurrency, TimeSpan.FromSeconds(seconds), async i =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var allowed = (int)await db.ScriptEvaluateAsync(script, new
            {
                key = (RedisKey)(prefix + (i % keys).ToString(CultureInfo.InvariantCulture)),
                now,
                window = (long)rule.Window.TotalMilliseconds,
                limit = rule.Limit,
                member = Guid.NewGuid().ToString("N"),
            }).ConfigureAwait(false) == 1;
            if (!allowed)
            {
                throw new InvalidOperationException("refused");
            }
        });
    }
}
