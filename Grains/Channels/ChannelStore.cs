using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Grains.Channels;

/// <summary>
/// The channel tables in PostgreSQL: the directory projection (<c>channels</c>) and follows. Only
/// ChannelGrain writes here, one channel at a time, which is what keeps follower counts exact.
/// </summary>
public sealed class ChannelStore(NpgsqlDataSource dataSource, DirectoryReadCache directoryReads)
{
    public async Task UpsertListingAsync(Guid channelId, ChannelState state, int followerCount)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO channels (channel_id, username, display_name, avatar_url, thumbnail_url, follower_count, verified, created_at)
            VALUES (@id, @username, @display, @avatar, @thumbnail, @followers, @verified, @created)
            ON CONFLICT (channel_id) DO UPDATE SET
                username = excluded.username, display_name = excluded.display_name, avatar_url = excluded.avatar_url,
                thumbnail_url = excluded.thumbnail_url, follower_count = excluded.follower_count, verified = excluded.verified
            """);
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("username", state.Username);
        command.Parameters.AddWithValue("display", state.DisplayName);
        command.Parameters.Add(new NpgsqlParameter("avatar", NpgsqlDbType.Text) { Value = (object?)state.Avatar?.Urls.GetValueOrDefault("70") ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("thumbnail", NpgsqlDbType.Text) { Value = (object?)state.Thumbnail?.Urls.GetValueOrDefault(ChannelThumbnails.Variant) ?? DBNull.Value });
        command.Parameters.AddWithValue("followers", followerCount);
        command.Parameters.AddWithValue("verified", state.Verified);
        command.Parameters.AddWithValue("created", state.CreatedAt);
        await command.ExecuteNonQueryAsync();
        directoryReads.Changed();
    }

    /// <summary>The live columns of the directory row: set from the broadcast, or cleared when offline.</summary>
    public async Task SetLiveAsync(Guid channelId, ChannelLive? live, string? liveThumbnailUrl)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE channels SET is_live = @live, viewer_count = @viewers, stream_title = @title, category_slug = @category,
                   live_thumbnail_url = @frame
             WHERE channel_id = @id
            """);
        command.Parameters.Add(new NpgsqlParameter("frame", NpgsqlDbType.Text) { Value = (object?)(live is null ? null : liveThumbnailUrl) ?? DBNull.Value });
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("live", live is not null);
        command.Parameters.AddWithValue("viewers", live?.ViewerCount ?? 0);
        command.Parameters.Add(new NpgsqlParameter("title", NpgsqlDbType.Varchar) { Value = (object?)live?.Title ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Varchar) { Value = (object?)live?.CategorySlug ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
        directoryReads.Changed();
    }

    public async Task SetLiveThumbnailAsync(Guid channelId, string url)
    {
        await using var command = dataSource.CreateCommand("UPDATE channels SET live_thumbnail_url = @url WHERE channel_id = @id AND is_live");
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("url", url);
        await command.ExecuteNonQueryAsync();
        directoryReads.Changed();
    }

    /// <summary>The periodic flush of a live channel's count: not a change the shared directory reads wait for (see <see cref="DirectoryReadCache"/>).</summary>
    public async Task SetViewerCountAsync(Guid channelId, int viewers)
    {
        await using var command = dataSource.CreateCommand("UPDATE channels SET viewer_count = @viewers WHERE channel_id = @id AND is_live");
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("viewers", viewers);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Leaves the row out of search and the live directory (or puts it back).</summary>
    public async Task SetHiddenAsync(Guid channelId, bool hidden)
    {
        await using var command = dataSource.CreateCommand("UPDATE channels SET hidden = @hidden WHERE channel_id = @id");
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("hidden", hidden);
        await command.ExecuteNonQueryAsync();
        directoryReads.Changed();
    }

    /// <summary>Deletes every follow of the channel (for a deleted channel: there is no count left to keep).</summary>
    public async Task DeleteFollowersAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM follows WHERE channel_id = @id");
        command.Parameters.AddWithValue("id", channelId);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<int> CountFollowersAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM follows WHERE channel_id = @id");
        command.Parameters.AddWithValue("id", channelId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Inserts the follow and the new count in one transaction; false if it already existed.</summary>
    public async Task<bool> AddFollowAsync(Guid channelId, Guid followerId, int newCount)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand(
            "INSERT INTO follows (channel_id, follower_id) VALUES (@c, @f) ON CONFLICT DO NOTHING", connection, transaction);
        insert.Parameters.AddWithValue("c", channelId);
        insert.Parameters.AddWithValue("f", followerId);
        if (await insert.ExecuteNonQueryAsync() == 0)
        {
            return false;
        }

        await SetCountAsync(connection, transaction, channelId, newCount);
        await transaction.CommitAsync();
        directoryReads.Changed();
        return true;
    }

    public async Task<bool> RemoveFollowAsync(Guid channelId, Guid followerId, int newCount)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var delete = new NpgsqlCommand(
            "DELETE FROM follows WHERE channel_id = @c AND follower_id = @f", connection, transaction);
        delete.Parameters.AddWithValue("c", channelId);
        delete.Parameters.AddWithValue("f", followerId);
        if (await delete.ExecuteNonQueryAsync() == 0)
        {
            return false;
        }

        await SetCountAsync(connection, transaction, channelId, newCount);
        await transaction.CommitAsync();
        directoryReads.Changed();
        return true;
    }

    public async Task<DateTimeOffset?> FollowedSinceAsync(Guid channelId, Guid followerId)
    {
        await using var command = dataSource.CreateCommand("SELECT created_at FROM follows WHERE channel_id = @c AND follower_id = @f");
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("f", followerId);
        return await command.ExecuteScalarAsync() is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : null;
    }

    private static async Task SetCountAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid channelId, int count)
    {
        await using var update = new NpgsqlCommand("UPDATE channels SET follower_count = @n WHERE channel_id = @c", connection, transaction);
        update.Parameters.AddWithValue("n", count);
        update.Parameters.AddWithValue("c", channelId);
        await update.ExecuteNonQueryAsync();
    }
}
