using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Analytics;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Sponsorship;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Analytics;

/// <summary>
/// The analytics tables (migration 0075): <c>broadcast_samples</c> (monthly partitions),
/// <c>broadcast_stats</c> and <c>platform_activity</c>. Also reads the chat table for a broadcast's
/// exact chat totals, and the directory for what is live now.
/// </summary>
public sealed class AnalyticsStore(NpgsqlDataSource dataSource)
{
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

        await dataSource.Sql($"""
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
                   count(*) FILTER (WHERE heartbeat_age_ms > {AnalyticsLimits.LateHeartbeatMs}), count(*) FILTER (WHERE transcode_fell_back)
              FROM inserted GROUP BY 1 ORDER BY 1
            ON CONFLICT (bucket) DO UPDATE
               SET broadcasts = p.broadcasts + excluded.broadcasts,
                   viewer_ms = p.viewer_ms + excluded.viewer_ms,
                   chat_messages = p.chat_messages + excluded.chat_messages,
                   late_heartbeats = p.late_heartbeats + excluded.late_heartbeats,
                   fell_back = p.fell_back + excluded.fell_back
            """)
            .With("stream", samples.Select(s => s.StreamId).ToArray())
            .With("channel", samples.Select(s => s.ChannelId).ToArray())
            .With("at", samples.Select(s => s.At.ToUniversalTime()).ToArray())
            .With("duration", samples.Select(s => s.DurationMs).ToArray())
            .With("viewers", samples.Select(s => s.Viewers).ToArray())
            .With("peak", samples.Select(s => s.PeakViewers).ToArray())
            .With("viewer_ms", samples.Select(s => s.ViewerMs).ToArray())
            .With("messages", samples.Select(s => s.ChatMessages).ToArray())
            .With("chatters", samples.Select(s => s.Chatters).ToArray())
            .With("follows", samples.Select(s => s.Follows).ToArray())
            .With("sponsors", samples.Select(s => s.NewSponsors).ToArray())
            .With("revenue", samples.Select(s => RevenueJson(s.Revenue)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            .With("heartbeat", samples.Select(s => s.HeartbeatAgeMs).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Integer)
            .With("fell_back", samples.Select(s => s.TranscodeFellBack).ToArray())
            .With("interval", interval)
            .ExecuteAsync();
    }

    /// <summary>Creates the partition of the month <paramref name="at"/> falls in, unless it exists.</summary>
    public Task EnsurePartitionAsync(DateTimeOffset at) =>
        dataSource.Sql("SELECT broadcast_samples_partition(@month)")
            .With("month", new DateOnly(at.UtcDateTime.Year, at.UtcDateTime.Month, 1))
            .ExecuteAsync();

    /// <summary>The partitions of broadcast_samples, by the first day of their month.</summary>
    public async Task<IReadOnlyList<(string Name, DateOnly Month)>> PartitionsAsync()
    {
        var names = await dataSource.Sql("""
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'broadcast_samples'::regclass ORDER BY c.relname
            """)
            .ListAsync(r => r.GetString(0));
        var partitions = new List<(string, DateOnly)>();
        foreach (var name in names)
        {
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
        await connection.Sql("SET LOCAL lock_timeout = '5s'", transaction).ExecuteAsync();

        // The name comes from pg_class and matched broadcast_samples_yyyy_MM; quoted all the same.
        await connection.Sql($"DROP TABLE IF EXISTS \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", transaction).ExecuteAsync();

        await transaction.CommitAsync();
    }

    public Task<int> DeletePlatformActivityBeforeAsync(DateTimeOffset before) =>
        dataSource.Sql("DELETE FROM platform_activity WHERE bucket < @before").With("before", before).ExecuteAsync();

    /// <summary>Messages the room stored with a send time in [from, to) and their distinct senders (index chat_messages_by_time).</summary>
    public async Task<ChatActivity> ChatTotalsAsync(Guid channelId, DateTimeOffset from, DateTimeOffset to) =>
        (await dataSource.Sql("""
            SELECT count(*)::int, count(DISTINCT sender_id)::int FROM chat_messages
             WHERE channel_id = @c AND sent_at >= @from AND sent_at < @to
            """)
            .With("c", channelId)
            .With("from", from)
            .With("to", to)
            .FirstOrDefaultAsync(r => new ChatActivity(r.GetInt32(0), r.GetInt32(1))))!;

    /// <summary>Stores a broadcast's exact totals and marks it final (again, harmlessly, if it was).</summary>
    public Task FinalizeAsync(Guid streamId, Guid channelId, ChatActivity chat, SponsorSales sales, DateTimeOffset now) =>
        dataSource.Sql("""
            INSERT INTO broadcast_stats AS b (stream_id, channel_id, chat_messages, chatters, sponsors, revenue, finalized_at)
            VALUES (@s, @c, @messages, @chatters, @sponsors, @revenue, @now)
            ON CONFLICT (stream_id) DO UPDATE
               SET chat_messages = excluded.chat_messages, chatters = excluded.chatters, sponsors = excluded.sponsors,
                   revenue = excluded.revenue, finalized_at = excluded.finalized_at
            """)
            .With("s", streamId)
            .With("c", channelId)
            .With("messages", (long)chat.Messages)
            .With("chatters", chat.Chatters)
            .With("sponsors", sales.NewSponsors)
            .With("revenue", RevenueJson(sales.Revenue), NpgsqlDbType.Jsonb)
            .With("now", now)
            .ExecuteAsync();

    /// <summary>
    /// Ended broadcasts whose end was not finalized (a silo stopped before it wrote their totals):
    /// the few stats rows not final are those of live broadcasts and these (broadcast_stats_unfinalized).
    /// </summary>
    public async Task<IReadOnlyList<BroadcastEnded>> UnfinalizedAsync(DateTimeOffset endedBefore, int limit) =>
        await dataSource.Sql("""
            SELECT b.stream_id, b.channel_id, s.started_at, s.ended_at
              FROM broadcast_stats b JOIN streams s ON s.stream_id = b.stream_id
             WHERE b.finalized_at IS NULL AND s.ended_at < @ended
             LIMIT @limit
            """)
            .With("ended", endedBefore)
            .With("limit", limit)
            .ListAsync(r => new BroadcastEnded(r.GetGuid(0), r.GetGuid(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3)));

    // ---- reads ----

    private const string SummaryColumns = """
        s.stream_id, s.channel_id, s.title, s.category_slug, s.started_at, s.ended_at, s.peak_viewers,
        coalesce(b.samples, 0), coalesce(b.duration_ms, 0), coalesce(b.viewer_ms, 0), coalesce(b.peak_viewers, 0),
        coalesce(b.chat_messages, 0), coalesce(b.follows, 0), b.chatters, b.sponsors, b.revenue::text, b.finalized_at
        """;

    public Task<SummaryRow?> SummaryAsync(Guid streamId) =>
        dataSource.Sql($"""
            SELECT {SummaryColumns} FROM streams s LEFT JOIN broadcast_stats b ON b.stream_id = s.stream_id WHERE s.stream_id = @s
            """)
            .With("s", streamId)
            .FirstOrDefaultAsync(ReadSummary);

    /// <summary>
    /// A page of the channel's broadcasts that started in [from, to), newest first, keyed by
    /// (started_at, stream_id) on the streams_by_channel index; <paramref name="limit"/> is the page size plus one.
    /// </summary>
    public async Task<IReadOnlyList<SummaryRow>> ChannelSummariesAsync(
        Guid channelId, DateTimeOffset? from, DateTimeOffset? to, (DateTimeOffset StartedAt, Guid StreamId)? after, int limit) =>
        await dataSource.Sql($"""
            SELECT {SummaryColumns} FROM streams s LEFT JOIN broadcast_stats b ON b.stream_id = s.stream_id
             WHERE s.channel_id = @c
               AND (@from::timestamptz IS NULL OR s.started_at >= @from)
               AND (@to::timestamptz IS NULL OR s.started_at < @to)
               AND (@after::timestamptz IS NULL OR (s.started_at, s.stream_id) < (@after, @after_id))
             ORDER BY s.started_at DESC, s.stream_id DESC
             LIMIT @limit
            """)
            .With("c", channelId)
            .With("from", from, NpgsqlDbType.TimestampTz)
            .With("to", to, NpgsqlDbType.TimestampTz)
            .With("after", after?.StartedAt, NpgsqlDbType.TimestampTz)
            .With("after_id", after?.StreamId ?? Guid.Empty)
            .With("limit", limit)
            .ListAsync(ReadSummary);

    /// <summary>A broadcast's samples, oldest first (the time bounds prune the months it did not run in).</summary>
    public async Task<IReadOnlyList<StoredSample>> SamplesAsync(Guid streamId, DateTimeOffset startedAt, DateTimeOffset? endedAt) =>
        await dataSource.Sql("""
            SELECT at, duration_ms, viewers, peak_viewers, viewer_ms, chat_messages, chatters, follows, sponsors, revenue::text
              FROM broadcast_samples
             WHERE stream_id = @s AND at >= @from AND (@to::timestamptz IS NULL OR at <= @to)
             ORDER BY at
            """)
            .With("s", streamId)
            .With("from", startedAt)
            .With("to", endedAt, NpgsqlDbType.TimestampTz)
            .ListAsync(reader => new StoredSample(
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

    /// <summary>The platform's interval rows from <paramref name="from"/> on, oldest first.</summary>
    public async Task<IReadOnlyList<PlatformRow>> PlatformActivityAsync(DateTimeOffset from) =>
        await dataSource.Sql("""
            SELECT bucket, broadcasts, viewer_ms, chat_messages, late_heartbeats, fell_back FROM platform_activity WHERE bucket >= @from ORDER BY bucket
            """)
            .With("from", from)
            .ListAsync(r => new PlatformRow(r.GetFieldValue<DateTimeOffset>(0), r.GetInt32(1), r.GetInt64(2), r.GetInt64(3), r.GetInt32(4), r.GetInt32(5)));

    /// <summary>Live channels and their viewers as the directory has them now (the channels_live partial index).</summary>
    public Task<(int Channels, int Viewers)> LiveNowAsync() =>
        dataSource.Sql("SELECT count(*)::int, coalesce(sum(viewer_count), 0)::int FROM channels WHERE is_live AND NOT hidden")
            .FirstOrDefaultAsync(r => (r.GetInt32(0), r.GetInt32(1)));

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
