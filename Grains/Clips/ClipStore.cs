using System.Globalization;
using Npgsql;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Clips;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Gateways.Media;

namespace WgStream.Grains.Clips;

/// <summary>A clip's row as stored.</summary>
public sealed record StoredClip(
    Guid Id,
    Guid ChannelId,
    Guid VideoId,
    Guid CreatorId,
    string Title,
    bool FromLive,
    TimeSpan Offset,
    TimeSpan Duration,
    ClipStatus Status,
    string? Failure,
    bool HasThumbnail,
    long Views,
    DateTimeOffset CreatedAt)
{
    /// <summary>What the API shows: the files as the media store serves them, once ready.</summary>
    public ClipInfo ToInfo(IMediaStore media, long unsavedViews = 0) => new(
        Id,
        ChannelId,
        VideoId,
        CreatorId,
        Title,
        FromLive,
        Offset,
        Duration,
        Status,
        Failure,
        Status == ClipStatus.Ready ? media.PublicUrl(ClipKeys.Video(Id)) : null,
        Status == ClipStatus.Ready && HasThumbnail ? media.PublicUrl(ClipKeys.Thumbnail(Id)) : null,
        Views + unsavedViews,
        CreatedAt);
}

/// <summary>The <c>clips</c> table.</summary>
public sealed class ClipStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        clip_id, channel_id, video_id, creator_id, title, from_live, offset_ms, duration_ms, status, failure, has_thumbnail, views, created_at
        """;

    public Task<StoredClip?> LoadAsync(Guid clipId) =>
        dataSource.Sql($"SELECT {Columns} FROM clips WHERE clip_id = @id").With("id", clipId).FirstOrDefaultAsync(Read);

    /// <summary>Records a new clip as processing; false when the id is taken.</summary>
    public async Task<bool> InsertAsync(StoredClip clip) =>
        await dataSource.Sql("""
            INSERT INTO clips (clip_id, channel_id, video_id, creator_id, title, from_live, offset_ms, duration_ms, status, created_at)
            VALUES (@id, @channel, @video, @creator, @title, @live, @offset, @duration, 0, @created)
            ON CONFLICT (clip_id) DO NOTHING
            """)
            .With("id", clip.Id)
            .With("channel", clip.ChannelId)
            .With("video", clip.VideoId)
            .With("creator", clip.CreatorId)
            .With("title", clip.Title)
            .With("live", clip.FromLive)
            .With("offset", (long)clip.Offset.TotalMilliseconds)
            .With("duration", (int)clip.Duration.TotalMilliseconds)
            .With("created", clip.CreatedAt)
            .ExecuteAsync() == 1;

    public Task ReadyAsync(Guid clipId, TimeSpan offset, TimeSpan duration, long bytes, bool hasThumbnail) =>
        dataSource.Sql("""
            UPDATE clips SET status = 1, offset_ms = @offset, duration_ms = @duration, bytes = @bytes, has_thumbnail = @thumbnail WHERE clip_id = @id
            """)
            .With("id", clipId)
            .With("offset", (long)offset.TotalMilliseconds)
            .With("duration", (int)duration.TotalMilliseconds)
            .With("bytes", bytes)
            .With("thumbnail", hasThumbnail)
            .ExecuteAsync();

    public Task FailAsync(Guid clipId, string reason) =>
        dataSource.Sql("UPDATE clips SET status = 2, failure = @reason, has_thumbnail = false WHERE clip_id = @id")
            .With("id", clipId)
            .With("reason", reason)
            .ExecuteAsync();

    public Task DeleteAsync(Guid clipId) =>
        dataSource.Sql("DELETE FROM clips WHERE clip_id = @id").With("id", clipId).ExecuteAsync();

    /// <summary>Adds views counted in memory (one statement per flush, whatever the number).</summary>
    public Task AddViewsAsync(Guid clipId, long views) =>
        dataSource.Sql("UPDATE clips SET views = views + @views WHERE clip_id = @id")
            .With("id", clipId)
            .With("views", views)
            .ExecuteAsync();

    /// <summary>A channel's ready clips, paged by (created_at, id) or (views, id), both descending.</summary>
    public Task<Page<StoredClip>> ChannelClipsAsync(Guid channelId, ClipOrder order, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        var tag = order == ClipOrder.Newest ? "n" : "v";
        long? afterKey = null;
        var afterId = Guid.Empty;
        if (after is not null)
        {
            var parts = Cursor.Decode(after, 3);
            if (parts[0] != tag || !Guid.TryParseExact(parts[2], "N", out afterId))
            {
                throw WgException.BadInput("The cursor is not one this API gave out for this order.", "after");
            }

            afterKey = Cursor.ParseLong(parts[1]);
        }

        // Newest: microsecond ticks of created_at (what PostgreSQL keeps, so the cursor compares exactly).
        var newest = order == ClipOrder.Newest;
        var sql = newest
            ? $"""
              SELECT {Columns} FROM clips
               WHERE channel_id = @channel AND status = 1
                 AND (@hasAfter = false OR (created_at, clip_id) < (@afterAt, @afterId))
               ORDER BY created_at DESC, clip_id DESC LIMIT @limit
              """
            : $"""
              SELECT {Columns} FROM clips
               WHERE channel_id = @channel AND status = 1
                 AND (@hasAfter = false OR (views, clip_id) < (@afterViews, @afterId))
               ORDER BY views DESC, clip_id DESC LIMIT @limit
              """;
        return dataSource.Sql(sql)
            .With("channel", channelId)
            .With("hasAfter", afterKey is not null)
            .With("afterId", afterId)
            .With("limit", size + 1)
            .With(newest ? "afterAt" : "afterViews", newest ? new DateTimeOffset(afterKey ?? 0, TimeSpan.Zero) : afterKey ?? 0)
            .PageAsync(size, Read, clip => Cursor.Encode(
                tag,
                (newest ? clip.CreatedAt.UtcTicks : clip.Views).ToString(CultureInfo.InvariantCulture),
                clip.Id.ToString("N")));
    }

    /// <summary>Every clip of a channel, whatever its state.</summary>
    public async Task<IReadOnlyList<Guid>> ChannelClipIdsAsync(Guid channelId) =>
        await dataSource.Sql("SELECT clip_id FROM clips WHERE channel_id = @channel")
            .With("channel", channelId)
            .ListAsync(r => r.GetGuid(0));

    /// <summary>Clips not ready and created before <paramref name="before"/>: failed ones to remove, processing ones whose cut was cut short.</summary>
    public async Task<IReadOnlyList<Guid>> UnfinishedBeforeAsync(ClipStatus status, DateTimeOffset before, int limit) =>
        await dataSource.Sql("""
            SELECT clip_id FROM clips WHERE status = @status AND created_at < @before ORDER BY created_at LIMIT @limit
            """)
            .With("status", (short)status)
            .With("before", before)
            .With("limit", limit)
            .ListAsync(r => r.GetGuid(0));

    private static StoredClip Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetGuid(1),
        reader.GetGuid(2),
        reader.GetGuid(3),
        reader.GetString(4),
        reader.GetBoolean(5),
        TimeSpan.FromMilliseconds(reader.GetInt64(6)),
        TimeSpan.FromMilliseconds(reader.GetInt32(7)),
        (ClipStatus)reader.GetInt16(8),
        reader.IsDBNull(9) ? null : reader.GetString(9),
        reader.GetBoolean(10),
        reader.GetInt64(11),
        reader.GetFieldValue<DateTimeOffset>(12));
}
