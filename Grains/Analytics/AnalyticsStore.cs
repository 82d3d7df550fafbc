using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Sponsorship;

namespace WgStream.Grains.Analytics;

/// <summary>
/// The analytics tables (migration 0075): <c>broadcast_samples</c> (monthly partitions),
/// <c>broadcast_stats</c> and <c>platform_activity</c>. Also reads the chat table for a broadcast's
/// exact chat totals, and the directory for what is live now.
/// </summary>
public sealed class AnalyticsStore(NpgsqlDataSource dataSource)
{
    /// <summary>nginx-rtmp sends on_update every 10 s: a sample that finds none for twice that counts as a late heartbeat.</summary>
    public const int LateHeartbeatMs = 20_000;

    /// <summary>
    /// Inserts the samples and, in the same statement, adds the rows actually inserted to their
    /// broadcasts' totals and to the platform's interval rows. A sample already stored (a batch
    /// retried after a lost answer) is skipped by the primary key and so added nowhere twice.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<RecordedSample> samples, TimeSpan interval)
    {
        if (samples.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand($"""
            WITH input AS (
                SELECT * FROM unnest(@stream, @channel, @at, @duration, @viewers, @peak, @viewer_ms, @messages, @chatters, @follows, @sponsors, @revenue, @heartbeat, @fell_back)
                    AS i(stream_id, channel_id, at, duration_ms, viewers, peak_viewers, viewer_ms, chat_messages, chatters, follows, sponsors, revenue, heartbeat_age_ms, transcode_fell_back)
            ), inserted AS (
                INSERT INTO broadcast_samples (stream_id, channel_id, at, duration_ms, viewers, peak_viewers, viewer_ms, chat_messages, chatters, follows, sponsors, revenue, heartbeat_age_ms, transcode_fell_back)
                SELECT * FROM input
                ON CONFLICT (stream_id, at) DO NOTHING
                RETURNING stream_id, channel_id, at, duration_ms, peak_viewers, viewer_ms, chat_messages, follows, heartbeat_age_ms, transcode_fell_back
            ), broadcasts AS (
                INSERT INTO broadcast_stats AS b (stream_id, channel_id, samples, duration_ms, viewer_ms, peak_viewers, chat_messages, follows)
                SELECT stream_id, channel_id, count(*), sum(duration_ms), sum(viewer_ms), max(peak_viewers), sum(chat_messages), sum(follows)
                  FROM inserted GROUP BY stream_id, channel_id ORDER BY stream_id
                ON CONFLICT (stream_id) DO UPDATE
                   SET samples = b.samples + excluded.samples,
                       duration_ms = b.duration_ms + excluded.duration_ms,
                       viewer_ms = b.viewer_ms + excluded.viewer_ms,
                       peak_viewers = greatest(b.peak_viewers, excluded.peak_viewers),
                       -- Once final, the chat total is the chat table's exact count.
                       chat_messages = CASE WHEN b.finalized_at IS NULL THEN b.chat_messages + excluded.chat_messages ELSE b.chat_messages END,
                       follows = b.follows + excluded.follows
            )
            INSERT INTO platform_activity AS p (bucket, broadcasts, viewer_ms, chat_messages, late_heartbeats, fell_back)
            SELECT date_bin(@interval, at, timestamptz '1970-01-01 00:00:00+00'), count(*), sum(viewer_ms), sum(chat_messages),
                   count(*) FILTER (WHERE heartbeat_age_ms > {LateHeartbeatMs}), count(*) FILTER (WHERE transcode_fell_back)
              FROM inserted GROUP BY 1 ORDER BY 1
            ON CONFLICT (bucket) DO UPDATE
               SET broadcasts = p.broadcasts + excluded.broadcasts,
                   viewer_ms = p.viewer_ms + excluded.viewer_ms,
                   chat_messages = p.chat_messages + excluded.chat_messages,
                   late_heartbeats = p.late_heartbeats + excluded.late_heartbeats,
                   fell_back = p.fell_back + excluded.fell_back
            """);
        command.Parameters.AddWithValue("stream", samples.Select(s => s.StreamId).ToArray());
        command.Parameters.AddWithValue("channel", samples.Select(s => s.ChannelId).ToArray());
        command.Parameters.AddWithValue("at", samples.Select(s => s.At.ToUniversalTime()).ToArray());
        command.Parameters.AddWithValue("duration", samples.Select(s => s.DurationMs).ToArray());
        command.Parameters.AddWithValue("viewers", samples.Select(s => s.Viewers).ToArray());
        command.Parameters.AddWithValue("peak", samples.Select(s => s.PeakViewers).ToArray());
        command.Parameters.AddWithValue("viewer_ms", samples.Select(s => s.ViewerMs).ToArray());
        command.Parameters.AddWithValue("messages", samples.Select(s => s.ChatMessages).ToArray());
        command.Parameters.AddWithValue("chatters", samples.Select(s => s.Chatters).ToArray());
        command.Parameters.AddWithValue("follows", samples.Select(s => s.Follows).ToArray());
        command.Parameters.AddWithValue("sponsors", samples.Select(s => s.NewSponsors).ToArray());
        command.Parameters.Add(new NpgsqlParameter("revenue", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = samples.Select(s => RevenueJson(s.Revenue)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("heartbeat", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = samples.Select(s => s.HeartbeatAgeMs).ToArray() });
        command.Parameters.AddWithValue("fell_back", samples.Select(s => s.TranscodeFellBack).ToArray());
        command.Parameters.AddWithValue("interval", interval);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Creates the partition of the month <paramref name="at"/> falls in, unless it exists.</summary>
    public async Task EnsurePartitionAsync(DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand("SELECT broadcast_samples_partition(@month)");
        command.Parameters.AddWithValue("month", new DateOnly(at.UtcDateTime.Year, at.UtcDateTime.Month, 1));
        await command.ExecuteScalarAsync();
    }

    /// <summary>The partitions of broadcast_samples, by the first day of their month.</summary>
    public async Task<IReadOnlyList<(string Name, DateOnly Month)>> PartitionsAsync()
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'broadcast_samples'::regclass ORDER BY c.relname
            """);
        var partitions = new List<(string, DateOnly)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var name = reader.GetString(0);
            if (DateOnly.TryParseExact(name["broadcast_samples_".Length..], "yyyy_MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
            {
                partitions.Add((name, month));
            }
        }

        return partitions;
    }

    /// <summary>Drops one month of samples at once (a short lock on the parent; waits at most a few seconds for it, else the next pass tries).</summary>
    public async Task DropPartitionAsync(string name)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var timeout = new NpgsqlCommand("SET LOCAL lock_timeout = '5s'", connection, transaction))
        {
            await timeout.ExecuteNonQueryAsync();
        }

        // The name comes from pg_class and matched broadcast_samples_yyyy_MM; quoted all the same.
        await using (var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection, transaction))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public async Task<int> DeletePlatformActivityBeforeAsync(DateTimeOffset before)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM platform_activity WHERE bucket < @before");
        command.Parameters.AddWithValue("before", before);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Messages the room stored with a send time in [from, to) and their distinct senders (index chat_messages_by_time).</summary>
    public async Task<ChatActivity> ChatTotalsAsync(Guid channelId, DateTimeOffset from, DateTimeOffset to)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*)::int, count(DISTINCT sender_id)::int FROM chat_messages
             WHERE channel_id = @c AND sent_at >= @from AND sent_at < @to
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new ChatActivity(reader.GetInt32(0), reader.GetInt32(1));
    }

    /// <summary>Stores a broadcast's exact totals and marks it final (again, harmlessly, if it was).</summary>
    public async Task FinalizeAsync(Guid streamId, Guid channelId, ChatActivity chat, SponsorSales sales, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO broadcast_stats AS b (stream_id, channel_id, chat_messages, chatters, sponsors, revenue, finalized_at)
            VALUES (@s, @c, @messages, @chatters, @sponsors, @revenue, @now)
            ON CONFLICT (stream_id) DO UPDATE
               SET chat_messages = excluded.chat_messages, chatters = excluded.chatters, sponsors = excluded.sponsors,
                   revenue = excluded.revenue, finalized_at = excluded.finalized_at
            """);
        command.Parameters.AddWithValue("s", streamId);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("messages", (long)chat.Messages);
        command.Parameters.AddWithValue("chatters", chat.Chatters);
        command.Parameters.AddWithValue("sponsors", sales.NewSponsors);
        command.Parameters.Add(new NpgsqlParameter("revenue", NpgsqlDbType.Jsonb) { Value = (object?)RevenueJson(sales.Revenue) ?? DBNull.Value });
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Ended broadcasts whose end was not finalized (a silo stopped before it wrote their totals):
    /// the few stats rows not final are those of live broadcasts and these (broadcast_stats_unfinalized).
    /// </summary>
    public async Task<IReadOnlyList<BroadcastEnded>> UnfinalizedAsync(DateTimeOffset endedBefore, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT b.stream_id, b.channel_id, s.started_at, s.ended_at
              FROM broadcast_stats b JOIN streams s ON s.stream_id = b.stream_id
             WHERE b.finalized_at IS NULL AND s.ended_at < @ended
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("ended", endedBefore);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<BroadcastEnded>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new BroadcastEnded(reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return rows;
    }

    // ---- reads ----

    private const string SummaryColumns = """
        s.stream_id, s.channel_id, s.title, s.category_slug, s.started_at, s.ended_at, s.peak_viewers,
        coalesce(b.samples, 0), coalesce(b.duration_ms, 0), coalesce(b.viewer_ms, 0), coalesce(b.peak_viewers, 0),
        coalesce(b.chat_messages, 0), coalesce(b.follows, 0), b.chatters, b.sponsors, b.revenue::text, b.finalized_at
        """;

    public async Task<SummaryRow?> SummaryAsync(Guid streamId)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SummaryColumns} FROM streams s LEFT JOIN broadcast_stats b ON b.stream_id = s.stream_id WHERE s.stream_id = @s
            """);
        command.Parameters.AddWithValue("s", streamId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? ReadSummary(reader) : null;
    }

    /// <summary>
    /// A page of the channel's broadcasts that started in [from, to), newest first, keyed by
    /// (started_at, stream_id) on the streams_by_channel index; <paramref name="limit"/> is the page size plus one.
    /// </summary>
    public async Task<IReadOnlyList<SummaryRow>> ChannelSummariesAsync(
        Guid channelId, DateTimeOffset? from, DateTimeOffset? to, (DateTimeOffset StartedAt, Guid StreamId)? after, int limit)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {SummaryColumns} FROM streams s LEFT JOIN broadcast_stats b ON b.stream_id = s.stream_id
             WHERE s.channel_id = @c
               AND (@from::timestamptz IS NULL OR s.started_at >= @from)
               AND (@to::timestamptz IS NULL OR s.started_at < @to)
               AND (@after::timestamptz IS NULL OR (s.started_at, s.stream_id) < (@after, @after_id))
             ORDER BY s.started_at DESC, s.stream_id DESC
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.TimestampTz) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)to ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.TimestampTz) { Value = (object?)after?.StartedAt ?? DBNull.Value });
        command.Parameters.AddWithValue("after_id", after?.StreamId ?? Guid.Empty);
        command.Parameters.AddWithValue("limit", limit);
        var rows = new List<SummaryRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(ReadSummary(reader));
        }

        return rows;
    }

    /// <summary>A broadcast's samples, oldest first (the time bounds prune the months it did not run in).</summary>
    public async Task<IReadOnlyList<StoredSample>> SamplesAsync(Guid streamId, DateTimeOffset startedAt, DateTimeOffset? endedAt)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT at, duration_ms, viewers, peak_viewers, viewer_ms, chat_messages, chatters, follows, sponsors, revenue::text
              FROM broadcast_samples
             WHERE stream_id = @s AND at >= @from AND (@to::timestamptz IS NULL OR at <= @to)
             ORDER BY at
            """);
        command.Parameters.AddWithValue("s", streamId);
        command.Parameters.AddWithValue("from", startedAt);
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.TimestampTz) { Value = (object?)endedAt ?? DBNull.Value });
        var samples = new List<StoredSample>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            samples.Add(new StoredSample(
                reader.GetFieldValue<DateTimeOffset>(0),
                reader.GetInt32(1),
                reader.GetInt32(2),
                reader.GetInt32(3),
                reader.GetInt64(4),
                reader.GetInt32(5),
                reader.GetInt32(6),
                reader.GetInt32(7),
                reader.GetInt32(8),
                ParseRevenue(reader.IsDBNull(9) ? null : reader.GetString(9))));
        }

        return samples;
    }

    /// <summary>The platform's interval rows from <paramref name="from"/> on, oldest first.</summary>
    public async Task<IReadOnlyList<PlatformRow>> PlatformActivityAsync(DateTimeOffset from)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT bucket, broadcasts, viewer_ms, chat_messages, late_heartbeats, fell_back FROM platform_activity WHERE bucket >= @from ORDER BY bucket
            """);
        command.Parameters.AddWithValue("from", from);
        var rows = new List<PlatformRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new PlatformRow(reader.GetFieldValue<DateTimeOffset>(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt32(5)));
        }

        return rows;
    }

    /// <summary>Live channels and their viewers as the directory has them now (the channels_live partial index).</summary>
    public async Task<(int Channels, int Viewers)> LiveNowAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT count(*)::int, coalesce(sum(viewer_count), 0)::int FROM channels WHERE is_live AND NOT hidden");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1));
    }

    public static string? RevenueJson(IReadOnlyList<MoneyAmount> revenue) =>
        revenue.Count == 0 ? null : JsonSerializer.Serialize(revenue.ToDictionary(m => m.Currency, m => m.Amount));

    public static IReadOnlyList<MoneyAmount> ParseRevenue(string? json) =>
        json is null
            ? []
            : [.. (JsonSerializer.Deserialize<Dictionary<string, long>>(json) ?? []).Where(kv => kv.Value != 0).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new MoneyAmount(kv.Value, kv.Key))];

    private static SummaryRow ReadSummary(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4),
        reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
        reader.GetInt32(6),
        reader.GetInt32(7),
        reader.GetInt64(8),
        reader.GetInt64(9),
        reader.GetInt32(10),
        reader.GetInt64(11),
        reader.GetInt32(12),
        reader.IsDBNull(13) ? null : reader.GetInt32(13),
        reader.IsDBNull(14) ? null : reader.GetInt32(14),
        ParseRevenue(reader.IsDBNull(15) ? null : reader.GetString(15)),
        reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16));
}

/// <summary>A broadcast's streams row with its stored totals (zeros and nulls where none were stored).</summary>
public sealed record SummaryRow(
    Guid StreamId,
    Guid ChannelId,
    string Title,
    string? CategorySlug,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    int StreamPeakViewers,
    int Samples,
    long DurationMs,
    long ViewerMs,
    int SamplePeakViewers,
    long ChatMessages,
    int Follows,
    int? Chatters,
    int? NewSponsors,
    IReadOnlyList<MoneyAmount> Revenue,
    DateTimeOffset? FinalizedAt);

public sealed record StoredSample(
    DateTimeOffset At, int DurationMs, int Viewers, int PeakViewers, long ViewerMs, int ChatMessages, int Chatters, int Follows, int NewSponsors, IReadOnlyList<MoneyAmount> Revenue);

public sealed record PlatformRow(DateTimeOffset Bucket, int Broadcasts, long ViewerMs, long ChatMessages, int LateHeartbeats, int FellBack);
