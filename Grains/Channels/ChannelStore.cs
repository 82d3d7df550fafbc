using Npgsql;
using NpgsqlTypes;
using WgStream.Grains.Infrastructure.Database;
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
        var live = state.Live;
        await dataSource.Sql("""
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
            """)
            .With("id", channelId)
            .With("username", state.Username)
            .With("display", state.DisplayName)
            .With("avatar", state.Avatar?.Urls.GetValueOrDefault("70"), NpgsqlDbType.Text)
            .With("thumbnail", state.Thumbnail?.Urls.GetValueOrDefault(ChannelThumbnails.Variant), NpgsqlDbType.Text)
            .With("followers", followerCount)
            .With("verified", state.Verified)
            .With("created", state.CreatedAt)
            .With("live", live is not null)
            .With("viewers", live is null ? 0 : viewerCount)
            .With("title", live?.Title, NpgsqlDbType.Varchar)
            .With("category", live?.CategorySlug, NpgsqlDbType.Varchar)
            .With("frame", live is null ? null : state.LiveThumbnailUrl, NpgsqlDbType.Text)
            .With("hidden", state.Hidden)
            .With("version", state.ListingVersion)
            .With("tags", state.Tags.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With("tag_keys", state.Tags.Select(ClassificationRules.Key).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .With("language", state.Language, NpgsqlDbType.Varchar)
            .With("mature", state.Mature)
            .ExecuteAsync();
        directoryReads.Changed();
    }

    /// <summary>What a channel grain compares with its state on activation: the row's version and username; null when there is no row.</summary>
    public Task<ListingStamp?> ReadListingStampAsync(Guid channelId) =>
        dataSource.Sql("SELECT listing_version, username FROM channels WHERE channel_id = @id")
            .With("id", channelId)
            .FirstOrDefaultAsync(r => new ListingStamp(r.GetInt64(0), r.GetString(1)));

    /// <summary>The periodic flush of a live channel's count: not a change the shared directory reads wait for (see <see cref="DirectoryReadCache"/>).</summary>
    public Task SetViewerCountAsync(Guid channelId, int viewers) =>
        dataSource.Sql("UPDATE channels SET viewer_count = @viewers WHERE channel_id = @id AND is_live")
            .With("id", channelId)
            .With("viewers", viewers)
            .ExecuteAsync();

    /// <summary>Deletes every follow of the channel (for a deleted channel: there is no count left to keep).</summary>
    public Task DeleteFollowersAsync(Guid channelId) =>
        dataSource.Sql("DELETE FROM follows WHERE channel_id = @id").With("id", channelId).ExecuteAsync();

    public Task<int> CountFollowersAsync(Guid channelId) =>
        dataSource.Sql("SELECT count(*) FROM follows WHERE channel_id = @id").With("id", channelId).ScalarAsync<int>();

    /// <summary>Inserts the follow and the new count in one transaction; false if it already existed.</summary>
    public Task<bool> AddFollowAsync(Guid channelId, Guid followerId, int newCount) =>
        ChangeFollowAsync("INSERT INTO follows (channel_id, follower_id) VALUES (@c, @f) ON CONFLICT DO NOTHING", channelId, followerId, newCount);

    /// <summary>Deletes the follow and stores the new count in one transaction; false if there was none.</summary>
    public Task<bool> RemoveFollowAsync(Guid channelId, Guid followerId, int newCount) =>
        ChangeFollowAsync("DELETE FROM follows WHERE channel_id = @c AND follower_id = @f", channelId, followerId, newCount);

    public Task<DateTimeOffset?> FollowedSinceAsync(Guid channelId, Guid followerId) =>
        dataSource.Sql("SELECT created_at FROM follows WHERE channel_id = @c AND follower_id = @f")
            .With("c", channelId)
            .With("f", followerId)
            .ScalarAsync<DateTimeOffset?>();

    private async Task<bool> ChangeFollowAsync(string sql, Guid channelId, Guid followerId, int newCount)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (await connection.Sql(sql, transaction).With("c", channelId).With("f", followerId).ExecuteAsync() == 0)
        {
            return false;
        }

        await connection.Sql("UPDATE channels SET follower_count = @n WHERE channel_id = @c", transaction)
            .With("n", newCount)
            .With("c", channelId)
            .ExecuteAsync();
        await transaction.CommitAsync();
        directoryReads.Changed();
        return true;
    }
}

public sealed record ListingStamp(long Version, string Username);
