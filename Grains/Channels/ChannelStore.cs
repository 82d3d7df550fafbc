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
    /// <summary>
    /// Writes the channel's whole directory row as of <see cref="ChannelState.ListingVersion"/>. The row
    /// only moves forward: a write of a version it already has (or has passed) changes nothing, so
    /// a repeated or late write can never put older data back. The username is only set when the row
    /// is made: after that the account registry moves it (with the account, in one transaction).
    /// </summary>
    public async Task WriteListingAsync(Guid channelId, ChannelState state, int followerCount, int viewerCount)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO channels (channel_id, username, display_name, avatar_url, thumbnail_url, follower_count, verified, created_at,
                                  is_live, viewer_count, stream_title, category_slug, live_thumbnail_url, hidden, listing_version,
                                  tags, tag_keys, language, mature)
            VALUES (@id, @username, @display, @avatar, @thumbnail, @followers, @verified, @created,
                    @live, @viewers, @title, @category, @frame, @hidden, @version, @tags, @tag_keys, @language, @mature)
            ON CONFLICT (channel_id) DO UPDATE SET
                display_name = excluded.display_name, avatar_url = excluded.avatar_url, thumbnail_url = excluded.thumbnail_url,
                follower_count = excluded.follower_count, verified = excluded.verified, is_live = excluded.is_live,
                viewer_count = excluded.viewer_count, stream_title = excluded.stream_title, category_slug = excluded.category_slug,
                live_thumbnail_url = excluded.live_thumbnail_url, hidden = excluded.hidden, listing_version = excluded.listing_version,
                tags = excluded.tags, tag_keys = excluded.tag_keys, language = excluded.language, mature = excluded.mature
             WHERE channels.listing_version < excluded.listing_version
            """);
        var live = state.Live;
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("username", state.Username);
        command.Parameters.AddWithValue("display", state.DisplayName);
        command.Parameters.Add(new NpgsqlParameter("avatar", NpgsqlDbType.Text) { Value = (object?)state.Avatar?.Urls.GetValueOrDefault("70") ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("thumbnail", NpgsqlDbType.Text) { Value = (object?)state.Thumbnail?.Urls.GetValueOrDefault(ChannelThumbnails.Variant) ?? DBNull.Value });
        command.Parameters.AddWithValue("followers", followerCount);
        command.Parameters.AddWithValue("verified", state.Verified);
        command.Parameters.AddWithValue("created", state.CreatedAt);
        command.Parameters.AddWithValue("live", live is not null);
        command.Parameters.AddWithValue("viewers", live is null ? 0 : viewerCount);
        command.Parameters.Add(new NpgsqlParameter("title", NpgsqlDbType.Varchar) { Value = (object?)live?.Title ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Varchar) { Value = (object?)live?.CategorySlug ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("frame", NpgsqlDbType.Text) { Value = (object?)(live is null ? null : state.LiveThumbnailUrl) ?? DBNull.Value });
        command.Parameters.AddWithValue("hidden", state.Hidden);
        command.Parameters.AddWithValue("version", state.ListingVersion);
        command.Parameters.Add(new NpgsqlParameter("tags", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = state.Tags.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("tag_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = state.Tags.Select(ClassificationRules.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("language", NpgsqlDbType.Varchar) { Value = (object?)state.Language ?? DBNull.Value });
        command.Parameters.AddWithValue("mature", state.Mature);
        await command.ExecuteNonQueryAsync();
        directoryReads.Changed();
    }

    /// <summary>What a channel grain compares with its state on activation: the row's version and username; null when there is no row.</summary>
    public async Task<ListingStamp?> ReadListingStampAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT listing_version, username FROM channels WHERE channel_id = @id");
        command.Parameters.AddWithValue("id", channelId);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new ListingStamp(reader.GetInt64(0), reader.GetString(1)) : null;
    }

    /// <summary>The periodic flush of a live channel's count: not a change the shared directory reads wait for (see <see cref="DirectoryReadCache"/>).</summary>
    public async Task SetViewerCountAsync(Guid channelId, int viewers)
    {
        await using var command = dataSource.CreateCommand("UPDATE channels SET viewer_count = @viewers WHERE channel_id = @id AND is_live");
        command.Parameters.AddWithValue("id", channelId);
        command.Parameters.AddWithValue("viewers", viewers);
        await command.ExecuteNonQueryAsync();
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

public sealed record ListingStamp(long Version, string Username);
