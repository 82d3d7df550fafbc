using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

/// <summary>The <c>stream_keys</c> and <c>streams</c> tables.</summary>
public sealed class StreamStore(NpgsqlDataSource dataSource)
{
    public async Task<StoredStreamKey?> GetKeyAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT key_hash, key_ciphertext, rotated_at FROM stream_keys WHERE channel_id = @id");
        command.Parameters.AddWithValue("id", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new StoredStreamKey(reader.GetString(0), reader.GetFieldValue<byte[]>(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    public async Task SaveKeyAsync(Guid channelId, StoredStreamKey key)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO stream_keys (channel_id, key_hash, key_ciphertext, rotated_at) VALUES (@id, @hash, @ciphertext, @at)
            ON CONFLICT (channel_id) DO UPDATE SET key_hash = excluded.key_hash, key_ciphertext = excluded.key_ciphertext, rotated_at = excluded.rotated_at
            """);
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("hash", key.Hash);
        command.Parameters.AddWithValue("ciphertext", key.Ciphertext);
        command.Parameters.AddWithValue("at", key.RotatedAt);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<Guid?> FindChannelByKeyHashAsync(string keyHash)
    {
        await using var command = dataSource.CreateCommand("SELECT channel_id FROM stream_keys WHERE key_hash = @hash");
        command.Parameters.AddWithValue("hash", keyHash);
        return await command.ExecuteScalarAsync() as Guid?;
    }

    public async Task<bool> CategoryExistsAsync(string slug)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM categories WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        return await command.ExecuteScalarAsync() is not null;
    }

    public async Task InsertStreamAsync(Guid streamId, StreamStart start)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO streams (stream_id, channel_id, title, category_slug, started_at, ingest)
            VALUES (@id, @channel, @title, @category, @started, @ingest)
            ON CONFLICT (stream_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", streamId);
        command.Parameters.AddWithValue("channel", start.ChannelId);
        command.Parameters.AddWithValue("title", start.Title);
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Varchar) { Value = (object?)start.CategorySlug ?? DBNull.Value });
        command.Parameters.AddWithValue("started", start.StartedAt);
        command.Parameters.AddWithValue("ingest", start.Ingest.ToString());
        await command.ExecuteNonQueryAsync();
    }

    public async Task<StreamInfo?> LoadStreamAsync(Guid streamId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT channel_id, title, category_slug, started_at, ended_at, end_reason, peak_viewers, ingest, thumbnail_url
              FROM streams WHERE stream_id = @id
            """);
        command.Parameters.AddWithValue("id", streamId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new StreamInfo(
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
            reader.IsDBNull(8) ? null : reader.GetString(8));
    }

    public async Task UpdateStreamAsync(Guid streamId, string title, string? categorySlug)
    {
        await using var command = dataSource.CreateCommand("UPDATE streams SET title = @title, category_slug = @category WHERE stream_id = @id");
        command.Parameters.AddWithValue("id", streamId);
        command.Parameters.AddWithValue("title", title);
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Varchar) { Value = (object?)categorySlug ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    public async Task SetPeakViewersAsync(Guid streamId, int peak)
    {
        await using var command = dataSource.CreateCommand("UPDATE streams SET peak_viewers = greatest(peak_viewers, @peak) WHERE stream_id = @id");
        command.Parameters.AddWithValue("id", streamId);
        command.Parameters.AddWithValue("peak", peak);
        await command.ExecuteNonQueryAsync();
    }

    public async Task SetThumbnailAsync(Guid streamId, string url)
    {
        await using var command = dataSource.CreateCommand("UPDATE streams SET thumbnail_url = @url WHERE stream_id = @id");
        command.Parameters.AddWithValue("id", streamId);
        command.Parameters.AddWithValue("url", url);
        await command.ExecuteNonQueryAsync();
    }

    public async Task EndStreamAsync(Guid streamId, DateTimeOffset endedAt, StreamEndReason reason, int peak)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE streams SET ended_at = @ended, end_reason = @reason, peak_viewers = greatest(peak_viewers, @peak)
             WHERE stream_id = @id AND ended_at IS NULL
            """);
        command.Parameters.AddWithValue("id", streamId);
        command.Parameters.AddWithValue("ended", endedAt);
        command.Parameters.AddWithValue("reason", reason.ToString());
        command.Parameters.AddWithValue("peak", peak);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Channels whose broadcaster must check its projections: a broadcast that never ended (a silo
    /// stopped while live, or between writes) or a directory row that says live. Reads the
    /// <c>channels</c> row too, which only ChannelGrain writes: this is a read for the sweep.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ChannelsToReconcileAsync()
    {
        await using var command = dataSource.CreateCommand("""
            SELECT channel_id FROM streams WHERE ended_at IS NULL
            UNION
            SELECT channel_id FROM channels WHERE is_live
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var channels = new List<Guid>();
        while (await reader.ReadAsync())
        {
            channels.Add(reader.GetGuid(0));
        }

        return channels;
    }

    /// <summary>Channels with a broadcast that came in through <paramref name="ingest"/> and has not ended.</summary>
    public async Task<IReadOnlyList<Guid>> OpenStreamChannelsAsync(IngestKind ingest)
    {
        await using var command = dataSource.CreateCommand("SELECT DISTINCT channel_id FROM streams WHERE ended_at IS NULL AND ingest = @ingest");
        command.Parameters.AddWithValue("ingest", ingest.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        var channels = new List<Guid>();
        while (await reader.ReadAsync())
        {
            channels.Add(reader.GetGuid(0));
        }

        return channels;
    }

    /// <summary>The broadcasts of one channel that never ended.</summary>
    public async Task<IReadOnlyList<Guid>> OpenStreamsAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT stream_id FROM streams WHERE channel_id = @id AND ended_at IS NULL");
        command.Parameters.AddWithValue("id", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        var streams = new List<Guid>();
        while (await reader.ReadAsync())
        {
            streams.Add(reader.GetGuid(0));
        }

        return streams;
    }
}

public sealed record StoredStreamKey(string Hash, byte[] Ciphertext, DateTimeOffset RotatedAt);
