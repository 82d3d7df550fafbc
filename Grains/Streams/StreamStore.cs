using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Streams;

/// <summary>The <c>stream_keys</c> and <c>streams</c> tables.</summary>
public sealed class StreamStore(NpgsqlDataSource dataSource)
{
    public Task<StoredStreamKey?> GetKeyAsync(Guid channelId) =>
        dataSource.Sql("SELECT key_hash, key_ciphertext, rotated_at FROM stream_keys WHERE channel_id = @id")
            .With("id", channelId)
            .FirstOrDefaultAsync(reader => new StoredStreamKey(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<DateTimeOffset>(2)));

    public Task SaveKeyAsync(Guid channelId, StoredStreamKey key) =>
        dataSource.Sql("""
            INSERT INTO stream_keys (channel_id, key_hash, key_ciphertext, rotated_at) VALUES (@id, @hash, @ciphertext, @at)
            ON CONFLICT (channel_id) DO UPDATE SET key_hash = excluded.key_hash, key_ciphertext = excluded.key_ciphertext, rotated_at = excluded.rotated_at
            """)
            .With("id", channelId)
            .With("hash", key.Hash)
            .With("ciphertext", key.Ciphertext)
            .With("at", key.RotatedAt)
            .ExecuteAsync();

    public Task<Guid?> FindChannelByKeyHashAsync(string keyHash) =>
        dataSource.Sql("SELECT channel_id FROM stream_keys WHERE key_hash = @hash").With("hash", keyHash).ScalarAsync<Guid?>();

    public Task InsertStreamAsync(Guid streamId, StreamStart start) =>
        dataSource.Sql("""
            INSERT INTO streams (stream_id, channel_id, title, category_slug, started_at, ingest)
            VALUES (@id, @channel, @title, @category, @started, @ingest)
            ON CONFLICT (stream_id) DO NOTHING
            """)
            .With("id", streamId)
            .With("channel", start.ChannelId)
            .With("title", start.Title)
            .With("category", start.CategorySlug, NpgsqlDbType.Varchar)
            .With("started", start.StartedAt)
            .With("ingest", start.Ingest.ToString())
            .ExecuteAsync();

    public Task<StreamInfo?> LoadStreamAsync(Guid streamId) =>
        dataSource.Sql("""
            SELECT channel_id, title, category_slug, started_at, ended_at, end_reason, peak_viewers, ingest, thumbnail_url
              FROM streams WHERE stream_id = @id
            """)
            .With("id", streamId)
            .FirstOrDefaultAsync(reader => new StreamInfo(
                streamId,
                reader.GetGuid(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : Enum.Parse<StreamEndReason>(reader.GetString(5)),
                ViewerCount: 0,
                reader.GetInt32(6),
                Enum.Parse<IngestKind>(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8)));

    public Task UpdateStreamAsync(Guid streamId, string title, string? categorySlug) =>
        dataSource.Sql("UPDATE streams SET title = @title, category_slug = @category WHERE stream_id = @id")
            .With("id", streamId)
            .With("title", title)
            .With("category", categorySlug, NpgsqlDbType.Varchar)
            .ExecuteAsync();

    public Task SetPeakViewersAsync(Guid streamId, int peak) =>
        dataSource.Sql("UPDATE streams SET peak_viewers = greatest(peak_viewers, @peak) WHERE stream_id = @id")
            .With("id", streamId)
            .With("peak", peak)
            .ExecuteAsync();

    public Task SetThumbnailAsync(Guid streamId, string url) =>
        dataSource.Sql("UPDATE streams SET thumbnail_url = @url WHERE stream_id = @id")
            .With("id", streamId)
            .With("url", url)
            .ExecuteAsync();

    public Task EndStreamAsync(Guid streamId, DateTimeOffset endedAt, StreamEndReason reason, int peak) =>
        dataSource.Sql("""
            UPDATE streams SET ended_at = @ended, end_reason = @reason, peak_viewers = greatest(peak_viewers, @peak)
             WHERE stream_id = @id AND ended_at IS NULL
            """)
            .With("id", streamId)
            .With("ended", endedAt)
            .With("reason", reason.ToString())
            .With("peak", peak)
            .ExecuteAsync();

    /// <summary>
    /// Channels whose broadcaster must check its projections: a broadcast that never ended (a silo
    /// stopped while live, or between writes) or a directory row that says live. Reads the
    /// <c>channels</c> row too, which only ChannelGrain writes: this is a read for the sweep.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ChannelsToReconcileAsync() =>
        await dataSource.Sql("""
            SELECT channel_id FROM streams WHERE ended_at IS NULL
            UNION
            SELECT channel_id FROM channels WHERE is_live
            """)
            .ListAsync(r => r.GetGuid(0));

    /// <summary>Channels with a broadcast that came in through <paramref name="ingest"/> and has not ended.</summary>
    public async Task<IReadOnlyList<Guid>> OpenStreamChannelsAsync(IngestKind ingest) =>
        await dataSource.Sql("SELECT DISTINCT channel_id FROM streams WHERE ended_at IS NULL AND ingest = @ingest")
            .With("ingest", ingest.ToString())
            .ListAsync(r => r.GetGuid(0));

    /// <summary>The broadcasts of one channel that never ended.</summary>
    public async Task<IReadOnlyList<Guid>> OpenStreamsAsync(Guid channelId) =>
        await dataSource.Sql("SELECT stream_id FROM streams WHERE channel_id = @id AND ended_at IS NULL")
            .With("id", channelId)
            .ListAsync(r => r.GetGuid(0));
}

public sealed record StoredStreamKey(string Hash, byte[] Ciphertext, DateTimeOffset RotatedAt);
