using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Hosting;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench;

/// <summary>
/// How long a channel with N followers takes to fan a go-live out: the producer's PublishAsync
/// (what the streamer's go-live waits for) and the background expansion into N in-app rows plus
/// outbox rows for the followers who linked Telegram or opted into go-live e-mail, batch by batch
/// in SQL. A silo in this process over a throwaway database; delivery is switched off so only the
/// fan-out is measured. Followers are generated in SQL (generate_series).
/// </summary>
public static class NotifyFanoutBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var followers = BenchArgs.Int(args, "--followers", 100_000);
        var batch = BenchArgs.Int(args, "--batch", 5000);
        var runs = BenchArgs.Int(args, "--runs", 3);
        var telegramPercent = BenchArgs.Int(args, "--telegram-percent", 10);
        var emailPercent = BenchArgs.Int(args, "--email-percent", 10);

        await using var database = await TestDatabase.CreateAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Cluster:ClusterId"] = $"bench-{Guid.NewGuid():N}",
            ["Notifications:DeliveryEnabled"] = "false",
            ["Notifications:FanoutBatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
            // A Production host (the default) refuses to start without one; the database is thrown away after.
            ["Streams:KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        });
        builder.UseOrleans(silo => silo.UseWgStreamClustering(builder.Configuration).AddWgStreamGrains(builder.Configuration));
        using var host = builder.Build();
        await host.StartAsync();
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        var dataSource = database.DataSource;

        var channelId = Guid.NewGuid();
        await grains.GetGrain<IChannelGrain>(channelId).CreateAsync("bench_streamer", DateTimeOffset.UtcNow);
        var setup = Stopwatch.StartNew();
        await ExecuteAsync(dataSource, "INSERT INTO follows (channel_id, follower_id) SELECT @c, gen_random_uuid() FROM generate_series(1, @n)", channelId, followers);
        // Some followers linked Telegram, some opted into go-live e-mail (by follow order, so every run sees the same).
        await ExecuteAsync(dataSource, $"INSERT INTO telegram_links (user_id, chat_id) SELECT follower_id, seq FROM follows WHERE channel_id = @c AND seq % 100 < {telegramPercent}", channelId, 0);
        await ExecuteAsync(dataSource, $"INSERT INTO notification_settings (user_id, kind, in_app, email, telegram) SELECT follower_id, 'StreamStarted', true, true, true FROM follows WHERE channel_id = @c AND seq % 100 >= {100 - emailPercent}", channelId, 0);
        await ExecuteAsync(dataSource, "ANALYZE", channelId, 0);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"notify-fanout: {followers:N0} followers ({telegramPercent}% linked Telegram, {emailPercent}% opted into go-live e-mail), batches of {batch:N0}, {Environment.ProcessorCount} cores; set-up {setup.Elapsed.TotalSeconds:F1} s"));

        var dispatch = grains.GetGrain<INotificationDispatchGrain>(0);
        var totals = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var publish = Stopwatch.StartNew();
            await dispatch.PublishAsync(new StreamStartedEvent(DateTimeOffset.UtcNow, channelId, Guid.NewGuid(), $"Bench stream {run}", "games"));
            var publishMs = publish.Elapsed.TotalMilliseconds;

            // Poll the job until done (10 ms poll resolution; the server-side span is also printed).
            long jobId;
            while (true)
            {
                await using var command = dataSource.CreateCommand("SELECT id, done_at IS NOT NULL FROM notification_jobs WHERE kind = 'StreamStarted' ORDER BY id DESC LIMIT 1");
                await using var reader = await command.ExecuteReaderAsync();
                if (await reader.ReadAsync() && reader.GetBoolean(1))
                {
                    jobId = reader.GetInt64(0);
                    break;
                }

                await Task.Delay(10);
            }

            var total = publish.Elapsed;
            totals.Add(total.TotalSeconds);
            await using var stats = dataSource.CreateCommand("""
                SELECT j.batches, j.recipients, extract(epoch FROM j.done_at - j.created_at),
                       (SELECT count(*) FROM notifications n WHERE n.job_id = j.id AND n.in_app),
                       (SELECT count(*) FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.job_id = j.id AND o.medium = 'telegram'),
                       (SELECT count(*) FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.job_id = j.id AND o.medium = 'email')
                  FROM notification_jobs j WHERE j.id = @id
                """);
            stats.Parameters.AddWithValue("id", jobId);
            await using var r = await stats.ExecuteReaderAsync();
            await r.ReadAsync();
            var inApp = r.GetInt64(3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: PublishAsync {publishMs:F1} ms; fan-out done in {total.TotalSeconds:F2} s (server {r.GetDecimal(2):F2} s), {r.GetInt32(0)} batches, {r.GetInt32(1):N0} recipients, {inApp:N0} in-app rows, {r.GetInt64(4):N0} Telegram + {r.GetInt64(5):N0} e-mail outbox rows, {inApp / total.TotalSeconds:N0} notifications/s"));
        }

        totals.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median fan-out: {totals[totals.Count / 2]:F2} s for {followers:N0} followers"));
        await host.StopAsync();
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, Guid channelId, int n)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.CommandTimeout = 600;
        if (sql.Contains("@c", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("c", channelId);
        }

        if (sql.Contains("@n", StringComparison.Ordinal))
        {
            command.Parameters.AddWithValue("n", n);
        }

        await command.ExecuteNonQueryAsync();
    }
}
