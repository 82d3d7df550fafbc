using System.Diagnostics;
using Npgsql;
using WgStream.Grains.Analytics;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench.Analytics;

/// <summary>
/// <c>analytics-capacity</c>: how much history the analytics tables hold with range reads under
/// 50 ms. A throwaway database (migrated as the platform migrates it) is filled with C channels
/// that each broadcast B times a month for M months, H hours a time, sampled every minute: the
/// streams rows, one broadcast_samples row per minute (inserted month by month in time order, as
/// the writers append them, interleaving every channel live at that minute), the broadcasts'
/// totals and the platform's minute rows. Then the reads the Api makes, each R times on random
/// channels and broadcasts, through the platform's own <see cref="AnalyticsStore"/>.
/// </summary>
public static class AnalyticsCapacityBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var channels = BenchArgs.Int(args, "--channels", 1000);
        var months = BenchArgs.Int(args, "--months", 13);
        var perMonth = BenchArgs.Int(args, "--per-month", 8);
        var hours = BenchArgs.Int(args, "--hours", 3);
        var reads = BenchArgs.Int(args, "--reads", 300);
        Console.WriteLine($"analytics-capacity {string.Join(' ', args)}");
        Console.WriteLine($"{channels:N0} channels × {perMonth} broadcasts a month × {months} months × {hours} h at one sample a minute = " +
            $"{(long)channels * perMonth * months:N0} broadcasts, {(long)channels * perMonth * months * hours * 60:N0} samples; load average {LiveFeed.ServerProcessStats.LoadAverage()}");

        await using var database = await TestDatabase.CreateAsync();
        var watch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        var firstMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1 - months);
        await FillAsync(database.DataSource, channels, months, perMonth, hours, firstMonth);
        Console.WriteLine($"filled in {watch.Elapsed.TotalSeconds:F0} s; {await SizesAsync(database.DataSource)}");

        var store = new AnalyticsStore(database.DataSource);
        var streams = await StreamsAsync(database.DataSource);
        var channelIds = streams.Select(s => s.ChannelId).Distinct().ToArray();
        var random = new Random(20);
        Console.WriteLine($"| read ({reads} each, after {reads / 10} to warm up) | rows per read | p50 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        await MeasureAsync("a broadcast's series (the primary key, one or two monthly partitions)", reads, async () =>
        {
            var s = streams[random.Next(streams.Length)];
            return (await store.SamplesAsync(s.StreamId, s.StartedAt, s.EndedAt)).Count;
        });
        await MeasureAsync("a channel's newest 20 broadcasts with their totals (channelBroadcasts)", reads, async () =>
            (await store.ChannelSummariesAsync(channelIds[random.Next(channelIds.Length)], null, null, null, 21)).Count);
        await MeasureAsync("a channel's last 90 days (channelAnalytics)", reads, async () =>
            (await store.ChannelSummariesAsync(channelIds[random.Next(channelIds.Length)], now.AddDays(-90), null, null, AnalyticsReaderGrain.MaxOverviewBroadcasts)).Count);
        await MeasureAsync("the platform's last hour (platformActivity)", reads, async () =>
            (await store.PlatformActivityAsync(now.AddHours(-1))).Count);
        await MeasureAsync("every sample of a random hour of the range (the BRIN index)", Math.Max(10, reads / 10), async () =>
        {
            var from = firstMonth.AddMinutes(random.Next((int)(now - firstMonth).TotalMinutes - 60));
            await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM broadcast_samples WHERE at >= @from AND at < @to");
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", from.AddHours(1));
            return (int)(long)(await command.ExecuteScalarAsync())!;
        });
        Console.WriteLine($"done in {watch.Elapsed.TotalSeconds:F0} s; load average {LiveFeed.ServerProcessStats.LoadAverage()}");
    }

    private static async Task FillAsync(NpgsqlDataSource dataSource, int channels, int months, int perMonth, int hours, DateTimeOffset firstMonth)
    {
        await using (var command = dataSource.CreateCommand("""
            WITH starts AS MATERIALIZED (
                -- B minute-aligned starts at random moments of each month, for each channel (random()
                -- per row: an uncorrelated subquery would be run once and give every channel the same).
                SELECT c.channel_id, date_trunc('minute', @first + make_interval(months => m) + random() * interval '27 days') AS started_at
                  FROM (SELECT gen_random_uuid() AS channel_id FROM generate_series(1, @channels)) c, generate_series(0, @months - 1) m, generate_series(1, @per) b
            )
            INSERT INTO streams (stream_id, channel_id, title, started_at, ended_at, end_reason, peak_viewers, ingest)
            SELECT gen_random_uuid(), channel_id, 'Bench broadcast', started_at, started_at + make_interval(hours => @hours), 'PublisherStopped', 100, 'Rtmp'
              FROM starts WHERE started_at + make_interval(hours => @hours) < now()
            """))
        {
            command.CommandTimeout = 0;
            command.Parameters.AddWithValue("hours", hours);
            command.Parameters.AddWithValue("channels", channels);
            command.Parameters.AddWithValue("first", firstMonth);
            command.Parameters.AddWithValue("months", months);
            command.Parameters.AddWithValue("per", perMonth);
            await command.ExecuteNonQueryAsync();
        }

        // A broadcast late in a month runs into the next one.
        for (var m = 0; m <= months; m++)
        {
            await using var partition = dataSource.CreateCommand("SELECT broadcast_samples_partition(@m)");
            partition.Parameters.AddWithValue("m", DateOnly.FromDateTime(firstMonth.AddMonths(m).UtcDateTime));
            await partition.ExecuteScalarAsync();
        }

        for (var m = 0; m < months; m++)
        {
            var from = firstMonth.AddMonths(m);
            var started = Stopwatch.StartNew();

            // A month's samples in time order: each minute holds every broadcast live at it, as the writers append them.
            await using var command = dataSource.CreateCommand("""
                INSERT INTO broadcast_samples (stream_id, channel_id, at, duration_ms, viewers, peak_viewers, viewer_ms, chat_messages, chatters, follows, sponsors, revenue, heartbeat_age_ms, transcode_fell_back)
                SELECT s.stream_id, s.channel_id, s.started_at + make_interval(mins => i), 60000, v, v + 3, v * 60000, v / 4, v / 10, (i % 17 = 0)::int, 0, NULL, 4000, false
                  FROM streams s, generate_series(0, @minutes - 1) i, LATERAL (SELECT 20 + (hashtext(s.stream_id::text || i) & 255) AS v) x
                 WHERE s.started_at >= @from AND s.started_at < @to
                 ORDER BY s.started_at + make_interval(mins => i)
                """);
            command.CommandTimeout = 0;
            command.Parameters.AddWithValue("minutes", hours * 60);
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", from.AddMonths(1));
            var rows = await command.ExecuteNonQueryAsync();
            Console.WriteLine($"  {from:yyyy-MM}: {rows:N0} samples in {started.Elapsed.TotalSeconds:F0} s");
        }

        await using (var command = dataSource.CreateCommand("""
            INSERT INTO broadcast_stats (stream_id, channel_id, samples, duration_ms, viewer_ms, peak_viewers, chat_messages, follows, chatters, sponsors, finalized_at)
            SELECT stream_id, min(channel_id::text)::uuid, count(*), sum(duration_ms), sum(viewer_ms), max(peak_viewers), sum(chat_messages), sum(follows), max(chatters) * 3, 0, now()
              FROM broadcast_samples GROUP BY stream_id;
            INSERT INTO platform_activity (bucket, broadcasts, viewer_ms, chat_messages, late_heartbeats, fell_back)
            SELECT at, count(*), sum(viewer_ms), sum(chat_messages), 0, 0 FROM broadcast_samples GROUP BY at;
            """))
        {
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync();
        }

        // Statistics and the visibility map, as autovacuum would have them for a table this old.
        await using var vacuum = dataSource.CreateCommand("VACUUM ANALYZE");
        vacuum.CommandTimeout = 0;
        await vacuum.ExecuteNonQueryAsync();
    }

    private static async Task<string> SizesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM broadcast_samples),
                   (SELECT sum(pg_table_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'broadcast_samples'::regclass),
                   (SELECT sum(pg_indexes_size(inhrelid)) FROM pg_inherits WHERE inhparent = 'broadcast_samples'::regclass),
                   pg_total_relation_size('streams') + pg_total_relation_size('broadcast_stats') + pg_total_relation_size('platform_activity')
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return $"broadcast_samples {reader.GetInt64(0):N0} rows, {reader.GetDecimal(1) / (1 << 20):N0} MiB of rows and {reader.GetDecimal(2) / (1 << 20):N0} MiB of indexes " +
            $"({(double)(reader.GetDecimal(1) + reader.GetDecimal(2)) / reader.GetInt64(0):N0} bytes a sample); streams, broadcast_stats and platform_activity {reader.GetInt64(3) / (1 << 20):N0} MiB";
    }

    private static async Task<(Guid StreamId, Guid ChannelId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt)[]> StreamsAsync(NpgsqlDataSource dataSource)
    {
        var streams = new List<(Guid, Guid, DateTimeOffset, DateTimeOffset?)>();
        await using var command = dataSource.CreateCommand("SELECT stream_id, channel_id, started_at, ended_at FROM streams");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            streams.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return [.. streams];
    }

    private static async Task MeasureAsync(string name, int count, Func<Task<int>> read)
    {
        for (var i = 0; i < count / 10; i++)
        {
            await read();
        }

        var times = new double[count];
        long rows = 0;
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            rows += await read();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        Console.WriteLine($"| {name} | {(double)rows / count:N0} | {times[count / 2]:F2} ms | {times[Math.Min(count - 1, (int)(count * 0.99))]:F2} ms | {times[^1]:F2} ms |");
    }
}
