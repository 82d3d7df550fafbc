using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Common;

namespace WgStream.Grains.Channels;

/// <summary>Read queries over the channel tables, each with keyset (cursor) pagination.</summary>
public sealed class ChannelDirectory(NpgsqlDataSource dataSource)
{
    private const string ListingColumns =
        "channel_id, username, display_name, avatar_url, follower_count, is_live, viewer_count, stream_title, category_slug, verified";

    /// <summary>
    /// The live broadcast's latest thumbnail (its open <c>streams</c> row, found through
    /// <c>streams_by_channel</c>); null when offline. <paramref name="row"/> names the channels row.
    /// </summary>
    private static string ThumbnailColumn(string row) => $"""
        CASE WHEN {row}.is_live THEN (SELECT s.thumbnail_url FROM streams s
                                       WHERE s.channel_id = {row}.channel_id AND s.ended_at IS NULL
                                       ORDER BY s.started_at DESC LIMIT 1) END AS thumbnail_url
        """;

    public async Task<Guid?> FindByUsernameAsync(string username)
    {
        await using var command = dataSource.CreateCommand("SELECT channel_id FROM channels WHERE lower(username) = lower(@u)");
        command.Parameters.AddWithValue("u", username.Trim());
        return await command.ExecuteScalarAsync() as Guid?;
    }

    /// <summary>
    /// Username prefix matches first, then names that merely contain the text or are similar
    /// (trigram), each group alphabetical: a stable order, so cursors stay valid.
    /// </summary>
    public async Task<Page<ChannelListing>> SearchAsync(string query, int first, string? after)
    {
        var q = query.Trim().ToLowerInvariant();
        if (q.Length is 0 or > 50)
        {
            throw WgException.BadInput("Search for 1 to 50 characters.", "query");
        }

        var size = Cursor.PageSize(first);
        string[]? cursor = after is null ? null : Cursor.Decode(after, 2);
        await using var command = dataSource.CreateCommand($"""
            SELECT {ListingColumns}, {ThumbnailColumn("matches")}, rank FROM (
                SELECT *, CASE WHEN lower(username) LIKE @prefix ESCAPE '\' THEN 0 ELSE 1 END AS rank
                  FROM channels
                 WHERE lower(username) LIKE @prefix ESCAPE '\'
                    OR lower(display_name) LIKE @contains ESCAPE '\'
                    OR lower(username) % @q
                    OR lower(display_name) % @q) matches
             WHERE @after_rank IS NULL OR (rank, lower(username)) > (@after_rank, @after_name)
             ORDER BY rank, lower(username)
             LIMIT @limit
            """);
        var escaped = q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        command.Parameters.AddWithValue("prefix", escaped + "%");
        command.Parameters.AddWithValue("contains", "%" + escaped + "%");
        command.Parameters.AddWithValue("q", q);
        command.Parameters.Add(new NpgsqlParameter("after_rank", NpgsqlDbType.Integer) { Value = cursor is null ? DBNull.Value : (int)Cursor.ParseLong(cursor[0]) });
        command.Parameters.Add(new NpgsqlParameter("after_name", NpgsqlDbType.Text) { Value = cursor is null ? DBNull.Value : cursor[1] });
        command.Parameters.AddWithValue("limit", size + 1);
        return await ReadListingsAsync(command, size, (listing, reader) =>
            Cursor.Encode(reader.GetInt32(11).ToString(CultureInfo.InvariantCulture), listing.Username.ToLowerInvariant()));
    }

    /// <summary>Live channels, most watched first.</summary>
    public async Task<Page<ChannelListing>> LiveAsync(string? categorySlug, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        string[]? cursor = after is null ? null : Cursor.Decode(after, 2);
        await using var command = dataSource.CreateCommand($"""
            SELECT {ListingColumns}, {ThumbnailColumn("channels")}
              FROM channels
             WHERE is_live
               AND (@category IS NULL OR category_slug = @category)
               AND (@after_viewers IS NULL OR (viewer_count, channel_id) < (@after_viewers, @after_id))
             ORDER BY viewer_count DESC, channel_id DESC
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Varchar) { Value = (object?)categorySlug ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_viewers", NpgsqlDbType.Integer) { Value = cursor is null ? DBNull.Value : (int)Cursor.ParseLong(cursor[0]) });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = cursor is null ? DBNull.Value : ParseGuid(cursor[1]) });
        command.Parameters.AddWithValue("limit", size + 1);
        return await ReadListingsAsync(command, size, (listing, _) =>
            Cursor.Encode(listing.ViewerCount.ToString(CultureInfo.InvariantCulture), listing.Id.ToString("N")));
    }

    /// <summary>Every category in its display order, with its live channels and their viewers counted.</summary>
    public async Task<IReadOnlyList<Category>> CategoriesAsync()
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.slug, c.name_en, c.name_uk, count(ch.channel_id)::int, coalesce(sum(ch.viewer_count), 0)::int
              FROM categories c
              LEFT JOIN channels ch ON ch.is_live AND ch.category_slug = c.slug
             GROUP BY c.slug, c.name_en, c.name_uk, c.sort_order
             ORDER BY c.sort_order
            """);
        await using var reader = await command.ExecuteReaderAsync();
        var categories = new List<Category>();
        while (await reader.ReadAsync())
        {
            categories.Add(new Category(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4)));
        }

        return categories;
    }

    /// <summary>Newest follow first; the other side of each follow is the follower.</summary>
    public Task<Page<FollowEntry>> FollowersAsync(Guid channelId, int first, string? after) =>
        FollowsAsync("follower_id", "channel_id", channelId, first, after);

    /// <summary>Newest follow first; the other side of each follow is the followed channel.</summary>
    public Task<Page<FollowEntry>> FollowingAsync(Guid userId, int first, string? after) =>
        FollowsAsync("channel_id", "follower_id", userId, first, after);

    private async Task<Page<FollowEntry>> FollowsAsync(string otherColumn, string keyColumn, Guid key, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? afterSeq = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        await using var command = dataSource.CreateCommand($"""
            SELECT {otherColumn}, created_at, seq FROM follows
             WHERE {keyColumn} = @key AND (@after IS NULL OR seq < @after)
             ORDER BY seq DESC
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("key", key);
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Bigint) { Value = (object?)afterSeq ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", size + 1);
        await using var reader = await command.ExecuteReaderAsync();
        var edges = new List<Edge<FollowEntry>>();
        var more = false;
        while (await reader.ReadAsync())
        {
            if (edges.Count == size)
            {
                more = true;
                break;
            }

            edges.Add(new Edge<FollowEntry>(
                Cursor.Encode(reader.GetInt64(2).ToString(CultureInfo.InvariantCulture)),
                new FollowEntry(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1))));
        }

        return new Page<FollowEntry>(edges, more);
    }

    private static async Task<Page<ChannelListing>> ReadListingsAsync(NpgsqlCommand command, int size, Func<ChannelListing, NpgsqlDataReader, string> cursorOf)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var edges = new List<Edge<ChannelListing>>();
        var more = false;
        while (await reader.ReadAsync())
        {
            if (edges.Count == size)
            {
                more = true;
                break;
            }

            var listing = new ChannelListing(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetInt32(4),
                reader.GetBoolean(5),
                reader.GetInt32(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetBoolean(9),
                reader.IsDBNull(10) ? null : reader.GetString(10));
            edges.Add(new Edge<ChannelListing>(cursorOf(listing, reader), listing));
        }

        return new Page<ChannelListing>(edges, more);
    }

    private static Guid ParseGuid(string value) =>
        Guid.TryParseExact(value, "N", out var id) ? id : throw WgException.BadInput("The cursor is not one this API gave out.", "after");
}
