using WgStream.Grains.Infrastructure.Database;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Videos;

/// <summary>A video's row as stored; its title and category are its broadcast's (in <c>streams</c>).</summary>
public sealed record StoredVideo(
    Guid Id,
    Guid ChannelId,
    VideoStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    TimeSpan Duration,
    bool HasThumbnail,
    string Title,
    string? CategorySlug)
{
    /// <summary>What the API shows: the playlist and thumbnail as the media store serves them, once ready.</summary>
    public VideoInfo ToInfo(IMediaStore media) => new(
        Id,
        ChannelId,
        Title,
        CategorySlug,
        StartedAt,
        EndedAt,
        Duration,
        Status,
        Status == VideoStatus.Ready ? media.PublicUrl(VideoKeys.Playlist(Id)) : null,
        HasThumbnail ? media.PublicUrl(VideoKeys.Thumbnail(Id)) : null);
}

/// <summary>The <c>videos</c> and <c>video_segments</c> tables.</summary>
public sealed class VideoStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        v.video_id, v.channel_id, v.status, v.started_at, v.ended_at, v.duration_ms, v.has_thumbnail, s.title, s.category_slug
        """;

    public async Task<(StoredVideo? Video, List<RecordedSegment> Segments)> LoadAsync(Guid videoId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        StoredVideo? video = null;
        await using (var command = new NpgsqlCommand($"SELECT {Columns} FROM videos v JOIN streams s ON s.stream_id = v.video_id WHERE v.video_id = @id", connection))
        {
            command.Parameters.AddWithValue("id", videoId);
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                video = Read(reader);
            }
        }

        var segments = new List<RecordedSegment>();
        if (video is null)
        {
            return (null, segments);
        }

        await using (var command = new NpgsqlCommand(
            "SELECT seq, duration_ms, program_date_time, discontinuity, bytes FROM video_segments WHERE video_id = @id ORDER BY seq", connection))
        {
            command.Parameters.AddWithValue("id", videoId);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                segments.Add(new RecordedSegment(
                    reader.GetInt32(0),
                    TimeSpan.FromMilliseconds(reader.GetInt32(1)),
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetBoolean(3),
                    reader.GetInt64(4)));
            }
        }

        return (video, segments);
    }

    /// <summary>Opens the recording; one that exists already is left as it is.</summary>
    public async Task InsertAsync(Guid videoId, Guid channelId, DateTimeOffset startedAt)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO videos (video_id, channel_id, started_at) VALUES (@id, @channel, @started) ON CONFLICT (video_id) DO NOTHING");
        command.Parameters.AddWithValue("id", videoId);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("started", startedAt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Adds a segment (a sequence number already stored is ignored); the first one's wall clock becomes the video's start.</summary>
    public async Task AddSegmentAsync(Guid videoId, RecordedSegment segment, bool first)
    {
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO video_segments (video_id, seq, duration_ms, program_date_time, discontinuity, bytes)
            VALUES (@id, @seq, @duration, @at, @discontinuity, @bytes) ON CONFLICT (video_id, seq) DO NOTHING
            """);
        insert.Parameters.AddWithValue("id", videoId);
        insert.Parameters.AddWithValue("seq", segment.Sequence);
        insert.Parameters.AddWithValue("duration", (int)Math.Round(segment.Duration.TotalMilliseconds));
        insert.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.TimestampTz) { Value = (object?)segment.ProgramDateTime ?? DBNull.Value });
        insert.Parameters.AddWithValue("discontinuity", segment.Discontinuity);
        insert.Parameters.AddWithValue("bytes", segment.Bytes);
        batch.BatchCommands.Add(insert);
        if (first && segment.ProgramDateTime is { } at)
        {
            var start = new NpgsqlBatchCommand("UPDATE videos SET started_at = @at WHERE video_id = @id");
            start.Parameters.AddWithValue("id", videoId);
            start.Parameters.AddWithValue("at", at);
            batch.BatchCommands.Add(start);
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task CompleteAsync(Guid videoId, DateTimeOffset endedAt, TimeSpan duration, long bytes, bool hasThumbnail)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE videos SET status = 1, ended_at = @ended, duration_ms = @duration, bytes = @bytes, has_thumbnail = @thumbnail
             WHERE video_id = @id
            """);
        command.Parameters.AddWithValue("id", videoId);
        command.Parameters.AddWithValue("ended", endedAt);
        command.Parameters.AddWithValue("duration", (long)duration.TotalMilliseconds);
        command.Parameters.AddWithValue("bytes", bytes);
        command.Parameters.AddWithValue("thumbnail", hasThumbnail);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Removes the video's rows (its segments go with it).</summary>
    public async Task DeleteAsync(Guid videoId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM videos WHERE video_id = @id");
        command.Parameters.AddWithValue("id", videoId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A channel's ready videos, newest first, paged by (started_at, id).</summary>
    public async Task<Page<StoredVideo>> ChannelVideosAsync(Guid channelId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        DateTimeOffset? afterStart = null;
        Guid afterId = Guid.Empty;
        if (after is not null)
        {
            var parts = Cursor.Decode(after, 2);
            afterStart = new DateTimeOffset(Cursor.ParseLong(parts[0]), TimeSpan.Zero);
            afterId = Guid.TryParseExact(parts[1], "N", out var id) ? id : throw GrainInterfaces.Common.WgException.BadInput("The cursor is not one this API gave out.", "after");
        }

        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM videos v JOIN streams s ON s.stream_id = v.video_id
             WHERE v.channel_id = @channel AND v.status = 1
               AND (@after::timestamptz IS NULL OR (v.started_at, v.video_id) < (@after, @afterId))
             ORDER BY v.started_at DESC, v.video_id DESC
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.TimestampTz) { Value = (object?)afterStart ?? DBNull.Value });
        command.Parameters.AddWithValue("afterId", afterId);
        command.Parameters.AddWithValue("limit", size + 1);
        // Microsecond ticks: PostgreSQL keeps microseconds, so the cursor compares exactly.
        return await PageReader.ReadAsync(
            command, size, Read, video => Cursor.Encode(video.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), video.Id.ToString("N")));
    }

    /// <summary>Videos started before <paramref name="cutoff"/> (retention), oldest first.</summary>
    public Task<IReadOnlyList<Guid>> StartedBeforeAsync(DateTimeOffset cutoff, int limit) =>
        IdsAsync("SELECT video_id FROM videos WHERE started_at < @at ORDER BY started_at LIMIT @limit", cutoff, limit);

    /// <summary>Recordings still open although their broadcast ended before <paramref name="endedBefore"/>: their recorder went away.</summary>
    public Task<IReadOnlyList<Guid>> AbandonedAsync(DateTimeOffset endedBefore, int limit) => IdsAsync("""
        SELECT v.video_id FROM videos v JOIN streams s ON s.stream_id = v.video_id
         WHERE v.status = 0 AND s.ended_at < @at
         ORDER BY v.started_at LIMIT @limit
        """, endedBefore, limit);

    /// <summary>Every video of a channel, whatever its state (for the deletion of its account).</summary>
    public async Task<IReadOnlyList<Guid>> ChannelVideoIdsAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT video_id FROM videos WHERE channel_id = @channel");
        command.Parameters.AddWithValue("channel", channelId);
        return await command.ReadGuidsAsync();
    }

    private async Task<IReadOnlyList<Guid>> IdsAsync(string sql, DateTimeOffset at, int limit)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("at", at);
        command.Parameters.AddWithValue("limit", limit);
        return await command.ReadGuidsAsync();
    }

    private static StoredVideo Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        (VideoStatus)reader.GetInt16(2),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        TimeSpan.FromMilliseconds(reader.GetInt64(5)),
        reader.GetBoolean(6),
        reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetString(8));
}
