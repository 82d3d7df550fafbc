using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Common;

namespace WgStream.Grains.Channels;

/// <summary>Read queries over the channel tables, each with keyset (cursor) pagination.</summary>
public sealed class ChannelDirectory(NpgsqlDataSource dataSource, DirectoryReadCache shared)
{
    /// <summary>What <see cref="ReadListing"/> reads, in order; extra columns a query selects come after them.</summary>
    private const string ListingColumns =
        "channel_id, username, display_name, avatar_url, follower_count, is_live, viewer_count, stream_title, category_slug, verified, "
        + ChannelThumbnails.Sql + " AS thumbnail, tags, language, mature";

    private const int ListingColumnCount = 14;

    /// <summary>
    /// The filter's conditions on a <c>channels</c> row aliased <c>c</c> (parameters <c>@f_tags</c>,
    /// <c>@f_language</c>): all of the tags (the GIN index <c>channels_tag_keys</c>) and the language.
    /// </summary>
    private const string FilterSql = """
        (cardinality(@f_tags::text[]) = 0 OR c.tag_keys @> @f_tags::text[])
        AND (@f_language::varchar IS NULL OR c.language = @f_language::varchar)
        """;

    /// <summary>Shorter queries match titles through too few trigrams to use the index, and words that short say little.</summary>
    internal const int TitleSearchMinLength = 3;

    /// <summary>How much more a live channel in a category the viewer's followed channels stream in weighs (× its viewers + 1).</summary>
    internal const int PreferredCategoryBoost = 3;

    /// <summary>How many of the viewer's newest follows tell their taste, and how many recent broadcasts of each.</summary>
    private const int TasteFollows = 200;

    private const int TasteBroadcasts = 5;

    /// <summary>How many preferred categories at most (the commonest among those broadcasts).</summary>
    private const int TasteCategories = 5;

    public async Task<Guid?> FindByUsernameAsync(string username)
    {
        await using var command = dataSource.CreateCommand("SELECT channel_id FROM channels WHERE lower(username) = lower(@u)");
        command.Parameters.AddWithValue("u", username.Trim());
        return await command.ExecuteScalarAsync() as Guid?;
    }

    /// <summary>Whether a channel with this id exists (its directory row is written when the account is made).</summary>
    public async Task<bool> ExistsAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM channels WHERE channel_id = @id)");
        command.Parameters.AddWithValue("id", channelId);
        return await command.ExecuteScalarAsync() is true;
    }

    /// <summary>
    /// Username prefix matches first (rank 0), then names that merely contain the text or are
    /// similar (trigram, rank 1), then live channels whose stream title contains the text or a word
    /// like it, or that carry it as a tag (rank 2); each group alphabetical: a stable order, so
    /// cursors stay valid. Titles are only matched for queries of <see cref="TitleSearchMinLength"/>
    /// characters or more. Every branch is an index scan (trigram GIN on names and titles, GIN on
    /// tags); the filter narrows the matches.
    /// </summary>
    public async Task<Page<ChannelListing>> SearchAsync(string query, int first, string? after, DirectoryFilter? filter = null)
    {
        var q = query.Trim().ToLowerInvariant();
        if (q.Length is 0 or > 50)
        {
            throw WgException.BadInput("Search for 1 to 50 characters.", "query");
        }

        var size = Cursor.PageSize(first);
        var checkedFilter = ClassificationRules.Filter(filter);
        string[]? cursor = after is null ? null : Cursor.Decode(after, 2);
        await using var command = dataSource.CreateCommand($"""
            SELECT {ListingColumns}, rank FROM (
                SELECT c.*, CASE WHEN lower(c.username) LIKE @prefix ESCAPE '\' THEN 0
                                 WHEN lower(c.display_name) LIKE @contains ESCAPE '\' OR lower(c.username) % @q OR lower(c.display_name) % @q THEN 1
                                 ELSE 2 END AS rank
                  FROM channels c
                 WHERE NOT c.hidden
                   AND (lower(c.username) LIKE @prefix ESCAPE '\'
                    OR lower(c.display_name) LIKE @contains ESCAPE '\'
                    OR lower(c.username) % @q
                    OR lower(c.display_name) % @q
                    OR (@titles AND (lower(c.stream_title) LIKE @contains ESCAPE '\' OR @q <% lower(c.stream_title)))
                    OR c.tag_keys @> ARRAY[@q]::text[])
                   AND {FilterSql}) matches
             WHERE @after_rank IS NULL OR (rank, lower(username)) > (@after_rank, @after_name)
             ORDER BY rank, lower(username)
             LIMIT @limit
            """);
        var escaped = q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        command.Parameters.AddWithValue("prefix", escaped + "%");
        command.Parameters.AddWithValue("contains", "%" + escaped + "%");
        command.Parameters.AddWithValue("q", q);
        command.Parameters.AddWithValue("titles", q.Length >= TitleSearchMinLength);
        AddFilter(command, checkedFilter);
        command.Parameters.Add(new NpgsqlParameter("after_rank", NpgsqlDbType.Integer) { Value = cursor is null ? DBNull.Value : (int)Cursor.ParseLong(cursor[0]) });
        command.Parameters.Add(new NpgsqlParameter("after_name", NpgsqlDbType.Text) { Value = cursor is null ? DBNull.Value : cursor[1] });
        command.Parameters.AddWithValue("limit", size + 1);
        return await ReadListingsAsync(command, size, (listing, reader) =>
            Cursor.Encode(reader.GetInt32(ListingColumnCount).ToString(CultureInfo.InvariantCulture), listing.Username.ToLowerInvariant()));
    }

    /// <summary>
    /// The channels a user follows, live ones first by viewers, then the rest by name: what the
    /// followed-channels sidebar shows. Cost is the user's follows (<c>follows_by_follower</c>, then
    /// each channel by its key); signed-in users only ask for their own.
    /// </summary>
    public async Task<Page<ChannelListing>> FollowedAsync(Guid userId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        string[]? cursor = after is null ? null : Cursor.Decode(after, 3);
        await using var command = dataSource.CreateCommand($"""
            SELECT {ListingColumns}
              FROM channels c
             WHERE c.channel_id IN (SELECT channel_id FROM follows WHERE follower_id = @me) AND NOT c.hidden
               AND (@after_live IS NULL
                    OR (c.is_live::int, c.viewer_count) < (@after_live, @after_viewers)
                    OR ((c.is_live::int, c.viewer_count) = (@after_live, @after_viewers) AND lower(c.username) > @after_name))
             ORDER BY c.is_live DESC, c.viewer_count DESC, lower(c.username)
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("me", userId);
        command.Parameters.Add(new NpgsqlParameter("after_live", NpgsqlDbType.Integer) { Value = cursor is null ? DBNull.Value : (int)Cursor.ParseLong(cursor[0]) });
        command.Parameters.Add(new NpgsqlParameter("after_viewers", NpgsqlDbType.Integer) { Value = cursor is null ? DBNull.Value : (int)Cursor.ParseLong(cursor[1]) });
        command.Parameters.Add(new NpgsqlParameter("after_name", NpgsqlDbType.Text) { Value = cursor is null ? DBNull.Value : cursor[2] });
        command.Parameters.AddWithValue("limit", size + 1);
        return await ReadListingsAsync(command, size, (listing, _) => Cursor.Encode(
            listing.IsLive ? "1" : "0", listing.ViewerCount.ToString(CultureInfo.InvariantCulture), listing.Username.ToLowerInvariant()));
    }

    private static void AddFilter(NpgsqlCommand command, DirectoryFilter filter)
    {
        command.Parameters.Add(new NpgsqlParameter("f_tags", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = filter.Tags.ToArray() });
        command.Parameters.Add(new NpgsqlParameter("f_language", NpgsqlDbType.Varchar) { Value = (object?)filter.Language ?? DBNull.Value });
    }

    /// <summary>Live channels, most watched first; shared among callers for a moment (<see cref="DirectoryReadCache"/>).</summary>
    public Task<Page<ChannelListing>> LiveAsync(string? categorySlug, int first, string? after, DirectoryFilter? filter = null)
    {
        // Checked before the shared read, so bad input is the caller's own error and never shared.
        var size = Cursor.PageSize(first);
        string[]? cursor = after is null ? null : Cursor.Decode(after, 2);
        var checkedFilter = ClassificationRules.Filter(filter);
        return shared.GetOrReadAsync($"live\n{categorySlug}\n{checkedFilter.Key}\n{size}\n{after}", () => ReadLiveAsync(categorySlug, checkedFilter, size, cursor));
    }

    private async Task<Page<ChannelListing>> ReadLiveAsync(string? categorySlug, DirectoryFilter filter, int size, string[]? cursor)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {ListingColumns}
              FROM channels c
             WHERE is_live AND NOT hidden
               AND (@category IS NULL OR category_slug = @category)
               AND {FilterSql}
               AND (@after_viewers IS NULL OR (viewer_count, channel_id) < (@after_viewers, @after_id))
             ORDER BY viewer_count DESC, channel_id DESC
             LIMIT @limit
            """);
        AddFilter(command, filter);
        command.Parameters.Add(new NpgsqlParameter("category", NpgsqlDbType.Varchar) { Value = (object?)categorySlug ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after_viewers", NpgsqlDbType.Integer) { Value = cursor is null ? DBNull.Value : (int)Cursor.ParseLong(cursor[0]) });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = cursor is null ? DBNull.Value : ParseGuid(cursor[1]) });
        command.Parameters.AddWithValue("limit", size + 1);
        return await ReadListingsAsync(command, size, (listing, _) =>
            Cursor.Encode(listing.ViewerCount.ToString(CultureInfo.InvariantCulture), listing.Id.ToString("N")));
    }

    /// <summary>
    /// Every category with its live counts: one pass over the live rows (the partial index
    /// <c>channels_live_by_category</c>), never over offline channels, so it costs what is live.
    /// </summary>
    public Task<IReadOnlyList<Category>> CategoriesAsync() => shared.GetOrReadAsync("categories", ReadAllCategoriesAsync);

    private async Task<IReadOnlyList<Category>> ReadAllCategoriesAsync()
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.slug, c.name_en, c.name_uk, coalesce(l.channels, 0), coalesce(l.viewers, 0), c.image_url
              FROM categories c
              LEFT JOIN (SELECT category_slug, count(*)::int AS channels, sum(viewer_count)::int AS viewers
                           FROM channels WHERE is_live AND NOT hidden GROUP BY category_slug) l ON l.category_slug = c.slug
             ORDER BY c.sort_order, c.slug
            """);
        return await ReadCategoriesAsync(command);
    }

    public Task<Category?> CategoryAsync(string slug)
    {
        var key = slug.Trim().ToLowerInvariant();
        return key.Length is 0 or > 40
            ? Task.FromResult<Category?>(null)
            : shared.GetOrReadAsync<Category?>($"category\n{key}", () => ReadCategoryAsync(key));
    }

    private async Task<Category?> ReadCategoryAsync(string key)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.slug, c.name_en, c.name_uk, l.channels, coalesce(l.viewers, 0), c.image_url
              FROM categories c
             CROSS JOIN LATERAL (SELECT count(*)::int AS channels, sum(viewer_count)::int AS viewers
                                   FROM channels WHERE is_live AND NOT hidden AND category_slug = c.slug) l
             WHERE c.slug = @slug
            """);
        command.Parameters.AddWithValue("slug", key);
        return (await ReadCategoriesAsync(command)) is [var category] ? category : null;
    }

    /// <summary>
    /// Categories are a curated handful of rows that <see cref="CategoriesAsync"/> reads whole anyway
    /// (with their counts); shuffling that list in memory is cheaper than any sampling in SQL.
    /// </summary>
    public async Task<IReadOnlyList<Category>> RandomCategoriesAsync(int first)
    {
        var size = Cursor.PageSize(first);
        var all = (await CategoriesAsync()).ToArray();
        Random.Shared.Shuffle(all);
        return all.Take(size).ToList();
    }

    /// <summary>
    /// A uniform sample of the live channels (each subset of that size equally likely, no
    /// duplicates), in random order.
    /// <para>
    /// The sample space is the listed live channels only (live, not hidden), which are exactly the
    /// partial index <c>channels_live</c>: the ids are drawn by a top-N sort on <c>random()</c> over
    /// an index-only scan of it (memory for <paramref name="first"/> rows, never a full sort, offline
    /// channels never read), and only the drawn rows are fetched. Cost grows with the number of live channels, not of channels.
    /// Measured on 200,000 channels, on two busy cores: about 1 ms with 5,000 live, 20–45 ms with 53,000.
    /// </para>
    /// <para>
    /// Not chosen: TABLESAMPLE samples pages of the whole table before the <c>is_live</c> filter (a
    /// few live rows spread over many pages come out empty or clustered, and BERNOULLI reads every
    /// page anyway). Counting the live rows and reading random ranks in one pass down the index is
    /// also linear (a B-tree cannot skip to the n-th entry) and measured slower on the same data:
    /// 0.9 + 6.3 ms and 31 + 145 ms (the row_number() window costs more than random()). Random
    /// pivots into the id space would be logarithmic but favour the channels that follow a large
    /// gap, every time. If the live set ever grows to where this matters, the way out is a dense
    /// live slot number kept by go-live and go-offline, which makes a draw k index lookups.
    /// </para>
    /// </summary>
    public async Task<IReadOnlyList<ChannelListing>> RandomLiveAsync(int first)
    {
        var size = Cursor.PageSize(first);
        await using var command = dataSource.CreateCommand($"""
            SELECT {ListingColumns}
              FROM channels
             WHERE channel_id IN (SELECT channel_id FROM channels WHERE is_live AND NOT hidden ORDER BY random() LIMIT @limit)
               AND is_live AND NOT hidden
            """);
        command.Parameters.AddWithValue("limit", size);
        await using var reader = await command.ExecuteReaderAsync();
        var sample = new List<ChannelListing>(size);
        while (await reader.ReadAsync())
        {
            sample.Add(ReadListing(reader));
        }

        // The join hands the rows back in whatever order it likes (by id, say): shuffle them.
        var shuffled = sample.ToArray();
        Random.Shared.Shuffle(shuffled);
        return shuffled;
    }

    /// <summary>
    /// Live channels by score = (viewers + 1) × (<see cref="PreferredCategoryBoost"/> if the category
    /// is one the viewer's followed channels stream in, else 1), then offline channels by followers;
    /// ties by channel id, so the order is total and tests can assert it. Excluded: the viewer's own
    /// channel, every channel they follow, and hidden channels (of deactivated accounts).
    /// <para>
    /// Cost is bounded by <paramref name="first"/>, not by the number of live channels: the top
    /// <c>first</c> by score always lie within the top <c>first</c> eligible live channels by viewers
    /// (index <c>channels_live</c>) plus the top <c>first</c> of each preferred category (index
    /// <c>channels_live_by_category</c>). A channel outside both has at least <c>first</c> candidates
    /// that score at least as high and come before it on ties (same category boost or none, no fewer
    /// viewers, a smaller id when equal). Offline: the top <c>first</c> of <c>channels_popular</c>.
    /// Taste reads at most <see cref="TasteFollows"/> × <see cref="TasteBroadcasts"/> rows of
    /// <c>streams_by_channel</c>.
    /// </para>
    /// </summary>
    public async Task<IReadOnlyList<ChannelListing>> RecommendedAsync(Guid? viewerId, int first)
    {
        var size = Cursor.PageSize(first);
        const string eligible = """
            c.channel_id IS DISTINCT FROM @me
            AND NOT EXISTS (SELECT 1 FROM follows f WHERE f.channel_id = c.channel_id AND f.follower_id = @me)
            """;
        await using var command = dataSource.CreateCommand($"""
            WITH taste AS MATERIALIZED (
                SELECT s.category_slug
                  FROM (SELECT channel_id FROM follows WHERE follower_id = @me ORDER BY seq DESC LIMIT {TasteFollows}) followed
                 CROSS JOIN LATERAL (SELECT category_slug FROM streams
                                      WHERE streams.channel_id = followed.channel_id
                                      ORDER BY started_at DESC LIMIT {TasteBroadcasts}) s
                 WHERE s.category_slug IS NOT NULL
                 GROUP BY s.category_slug
                 ORDER BY count(*) DESC, s.category_slug
                 LIMIT {TasteCategories}
            ),
            candidates AS (
                (SELECT c.channel_id FROM channels c
                  WHERE c.is_live AND NOT c.hidden AND {eligible}
                  ORDER BY c.viewer_count DESC, c.channel_id
                  LIMIT @limit)
                UNION
                SELECT pool.channel_id
                  FROM taste
                 CROSS JOIN LATERAL (SELECT c.channel_id FROM channels c
                                      WHERE c.is_live AND NOT c.hidden AND c.category_slug = taste.category_slug AND {eligible}
                                      ORDER BY c.viewer_count DESC, c.channel_id
                                      LIMIT @limit) pool
            )
            SELECT * FROM (
                SELECT {ListingColumns}, 0 AS offline,
                       (viewer_count + 1)::bigint * CASE WHEN category_slug IN (SELECT category_slug FROM taste) THEN {PreferredCategoryBoost} ELSE 1 END AS score
                  FROM channels
                 WHERE channel_id IN (SELECT channel_id FROM candidates) AND is_live AND NOT hidden
                UNION ALL
                (SELECT {ListingColumns}, 1, follower_count::bigint
                   FROM channels c
                  WHERE NOT c.is_live AND NOT c.hidden AND {eligible}
                  ORDER BY c.follower_count DESC, c.channel_id
                  LIMIT @limit)) ranked
             ORDER BY offline, score DESC, channel_id
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("me", NpgsqlDbType.Uuid) { Value = (object?)viewerId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", size);
        await using var reader = await command.ExecuteReaderAsync();
        var listings = new List<ChannelListing>(size);
        while (await reader.ReadAsync())
        {
            listings.Add(ReadListing(reader));
        }

        return listings;
    }

    private static async Task<IReadOnlyList<Category>> ReadCategoriesAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var categories = new List<Category>();
        while (await reader.ReadAsync())
        {
            categories.Add(new Category(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
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

            var listing = ReadListing(reader);
            edges.Add(new Edge<ChannelListing>(cursorOf(listing, reader), listing));
        }

        return new Page<ChannelListing>(edges, more);
    }

    private static ChannelListing ReadListing(NpgsqlDataReader reader) => new(
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
        reader.IsDBNull(10) ? null : reader.GetString(10),
        reader.GetFieldValue<string[]>(11),
        reader.IsDBNull(12) ? null : reader.GetString(12),
        reader.GetBoolean(13));

    private static Guid ParseGuid(string value) =>
        Guid.TryParseExact(value, "N", out var id) ? id : throw WgException.BadInput("The cursor is not one this API gave out.", "after");
}
