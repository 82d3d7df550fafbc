using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Database;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;

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
        var video = await connection.Sql($"SELECT {Columns} FROM videos v JOIN streams s ON s.stream_id = v.video_id WHERE v.video_id = @id")
            .With("id", videoId)
            .FirstOrDefaultAsync(Read);
        if (video is null)
        {
            return (null, []);
        }

        var segments = await connection.Sql(
            "SELECT seq, duration_ms, program_date_time, discontinuity, bytes FROM video_segments WHERE video_id = @id ORDER BY seq")
            .With("id", videoId)
            .ListAsync(reader => new RecordedSegment(
                reader.GetInt32(0),
                TimeSpan.FromMilliseconds(reader.GetInt32(1)),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetBoolean(3),
                reader.GetInt64(4)));
        return (video, segments);
    }

    /// <summary>Opens the recording; one that exists already is left as it is.</summary>
    public Task InsertAsync(Guid videoId, Guid channelId, DateTimeOffset startedAt) =>
        dataSource.Sql("INSERT INTO videos (video_id, channel_id, started_at) VALUES (@id, @channel, @started) ON CONFLICT (video_id) DO NOTHING")
            .With("id", videoId)
            .With("channel", channelId)
            .With("started", startedAt)
            .ExecuteAsync();

    /// <summary>Adds a segment (a sequence number already stored is ignored); the first one's wall clock becomes the video's start.</summary>
    public async Task AddSegmentAsync(Guid videoId, RecordedSegment segment, bool first)
    {
        // An NpgsqlBatch, not SqlStatement: the segment and the video's start go in one round trip,
        // and this runs for every segment of every recording.
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

    public Task CompleteAsync(Guid videoId, DateTimeOffset endedAt, TimeSpan duration, long bytes, bool hasThumbnail) =>
        dataSource.Sql("""
            UPDATE videos SET status = 1, ended_at = @ended, duration_ms = @duration, bytes = @bytes, has_thumbnail = @thumbnail
             WHERE video_id = @id
            """)
            .With("id", videoId)
            .With("ended", endedAt)
            .With("duration", (long)duration.TotalMilliseconds)
            .With("bytes", bytes)
            .With("thumbnail", hasThumbnail)
            .ExecuteAsync();

    /// <summary>Removes the video's rows (its segments go with it).</summary>
    public Task DeleteAsync(Guid videoId) =>
        dataSource.Sql("DELETE FROM videos WHERE video_id = @id").With("id", videoId).ExecuteAsync();

    /// <summary>A channel's ready videos, newest first, paged by (started_at, id).</summary>
    public Task<Page<StoredVideo>> ChannelVideosAsync(Guid channelId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        (DateTimeOffset At, Guid Id)? position = after is null ? null : Cursor.DecodeTimeAndId(after);
        return dataSource.Sql($"""
            SELECT {Columns} FROM videos v JOIN streams s ON s.stream_id = v.video_id
             WHERE v.channel_id = @channel AND v.status = 1
               AND (@after::timestamptz IS NULL OR (v.started_at, v.video_id) < (@after, @afterId))
             ORDER BY v.started_at DESC, v.video_id DESC
             LIMIT @limit
            """)
            .With("channel", channelId)
            .With("after", position?.At, NpgsqlDbType.TimestampTz)
            .With("afterId", position?.Id ?? Guid.Empty)
            .With("limit", size + 1)
            .PageAsync(size, Read, video => Cursor.EncodeTimeAndId(video.StartedAt, video.Id));
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
    public async Task<IReadOnlyList<Guid>> ChannelVideoIdsAsync(Guid channelId) =>
        await dataSource.Sql("SELECT video_id FROM videos WHERE channel_id = @channel")
            .With("channel", channelId)
            .ListAsync(r => r.GetGuid(0));

    private async Task<IReadOnlyList<Guid>> IdsAsync(string sql, DateTimeOffset at, int limit) =>
        await dataSource.Sql(sql).With("at", at).With("limit", limit).ListAsync(r => r.GetGuid(0));

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
