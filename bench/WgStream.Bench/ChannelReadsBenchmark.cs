using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using WgStream.GrainInterfaces.Channels;
using WgStream.Hosting;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Bench;

/// <summary>
/// What a channel page read costs when served by the grains (name grain → channel grain, both in
/// memory once warm) against the PostgreSQL-only read a stateless service would do per request
/// (the same profile fields from the directory table by lower(username)). Same process, same
/// data, same concurrency.
/// </summary>
public static class ChannelReadsBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var channels = BenchArgs.Int(args, "--channels", 1000);
        var seconds = BenchArgs.Int(args, "--seconds", 10);
        var concurrency = BenchArgs.Int(args, "--concurrency", 64);

        var admin = Environment.GetEnvironmentVariable("WG_Database__ConnectionString") ?? new DatabaseOptions().ConnectionString;
        var database = $"wgbench_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database, MaxPoolSize = 100 }.ConnectionString;
        try
        {
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:ConnectionString"] = connectionString,
                ["Cluster:SiloPort"] = "11191",
                ["Cluster:GatewayPort"] = "30091",
                ["Cluster:ClusterId"] = "bench",
                // A Production host (the default) refuses to start without one; the database is thrown away after.
                ["Streams:KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            });
            builder.UseOrleans(silo => silo.UseWgStreamClustering(builder.Configuration).AddWgStreamGrains(builder.Configuration));
            using var host = builder.Build();
            await host.Services.MigrateDatabaseAsync();
            await host.StartAsync();
            var grains = host.Services.GetRequiredService<IGrainFactory>();
            var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

            Console.WriteLine($"channel-reads: {channels} channels, {concurrency} concurrent readers, {seconds} s per run, {Environment.ProcessorCount} cores");
            var names = Enumerable.Range(0, channels).Select(i => $"bench_{i:D6}").ToArray();
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) =>
                await grains.GetGrain<IChannelGrain>(Guid.NewGuid()).CreateAsync(name, DateTimeOffset.UtcNow));

            var duration = TimeSpan.FromSeconds(seconds);
            var fromGrains = await Measurement.RunAsync("grains (name grain + channel grain)", concurrency, duration, async i =>
            {
                var name = names[i % names.Length];
                var id = await grains.GetGrain<IChannelNameGrain>(name).GetChannelIdAsync();
                _ = await grains.GetGrain<IChannelGrain>(id!.Value).GetAsync() ?? throw new InvalidOperationException(name);
            });
            var fromDatabase = await Measurement.RunAsync("PostgreSQL only (SELECT by lower(username))", concurrency, duration, async i =>
            {
                await using var command = dataSource.CreateCommand(
                    "SELECT channel_id, username, display_name, avatar_url, follower_count, verified, is_live, created_at FROM channels WHERE lower(username) = lower(@u)");
                command.Parameters.AddWithValue("u", names[i % names.Length]);
                await using var reader = await command.ExecuteReaderAsync();
                if (!await reader.ReadAsync())
                {
                    throw new InvalidOperationException(names[i % names.Length]);
                }
            });
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"grains / PostgreSQL throughput: {fromGrains.PerSecond / fromDatabase.PerSecond:F1}x"));
            await host.StopAsync();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }


    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
