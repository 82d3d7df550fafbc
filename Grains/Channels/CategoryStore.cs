using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Database;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Channels;

/// <summary>
/// The <c>categories</c> table: the operators' writes (through CategoryAdminGrain) and the
/// directory's reads with live counts, which also read the live <c>channels</c> rows (read-only:
/// the counts are a sum over many channels, which no one channel grain could answer).
/// </summary>
public sealed class CategoryStore(NpgsqlDataSource dataSource, DirectoryReadCache shared)
{
    private const string Columns = "slug, name_en, name_uk, image_url";

    /// <summary>Every category in display order, without live counts.</summary>
    public Task<List<Category>> AllAsync() =>
        dataSource.Sql($"SELECT {Columns} FROM categories ORDER BY sort_order, slug")
            .ListAsync(r => new Category(r.GetString(0), r.GetString(1), r.GetString(2), ImageUrl: r.IsDBNull(3) ? null : r.GetString(3)));

    public async Task<bool> ExistsAsync(string slug) =>
        await dataSource.Sql("SELECT 1 FROM categories WHERE slug = @slug").With("slug", slug).ScalarAsync<int?>() is not null;

    /// <summary>Adds the category after the last one; false when the slug is taken.</summary>
    public async Task<bool> InsertAsync(string slug, string nameEn, string nameUk) =>
        await dataSource.Sql("""
            INSERT INTO categories (slug, name_en, name_uk, sort_order)
            SELECT @slug, @en, @uk, coalesce(max(sort_order), 0) + 10 FROM categories
            ON CONFLICT (slug) DO NOTHING
            """)
            .With("slug", slug)
            .With("en", nameEn)
            .With("uk", nameUk)
            .ExecuteAsync() == 1;

    /// <summary>False when there is no such category.</summary>
    public async Task<bool> RenameAsync(string slug, string nameEn, string nameUk) =>
        await dataSource.Sql("UPDATE categories SET name_en = @en, name_uk = @uk WHERE slug = @slug")
            .With("slug", slug)
            .With("en", nameEn)
            .With("uk", nameUk)
            .ExecuteAsync() == 1;

    /// <summary>Numbers the categories 10, 20, … in the given order, in one statement.</summary>
    public Task ReorderAsync(IReadOnlyList<string> slugs) =>
        dataSource.Sql("""
            UPDATE categories c SET sort_order = o.position * 10
              FROM unnest(@slugs) WITH ORDINALITY AS o(slug, position)
             WHERE c.slug = o.slug
            """)
            .With("slugs", slugs.ToArray())
            .ExecuteAsync();

    /// <summary>Sets the image and returns the keys it replaced; null when there is no such category.</summary>
    public Task<string[]?> SetImageAsync(string slug, ChannelImage? image) =>
        dataSource.Sql("""
            UPDATE categories c SET image_url = @url, image_keys = @keys
              FROM (SELECT slug, image_keys FROM categories WHERE slug = @slug FOR UPDATE) old
             WHERE c.slug = old.slug
            RETURNING old.image_keys
            """)
            .With("slug", slug)
            .With("url", image?.Urls.Values.FirstOrDefault(), NpgsqlDbType.Text)
            .With("keys", image?.StorageKeys.ToArray() ?? [])
            .ScalarAsync<string[]>();

    /// <summary>
    /// Every category with its live counts: one pass over the live rows (the partial index
    /// <c>channels_live_by_category</c>), never over offline channels, so it costs what is live.
    /// Shared among callers for a moment (<see cref="DirectoryReadCache"/>).
    /// </summary>
    public Task<IReadOnlyList<Category>> AllWithLiveCountsAsync() => shared.GetOrReadAsync("categories", ReadAllWithLiveCountsAsync);

    private async Task<IReadOnlyList<Category>> ReadAllWithLiveCountsAsync() =>
        await dataSource.Sql("""
            SELECT c.slug, c.name_en, c.name_uk, coalesce(l.channels, 0), coalesce(l.viewers, 0), c.image_url
              FROM categories c
              LEFT JOIN (SELECT category_slug, count(*)::int AS channels, sum(viewer_count)::int AS viewers
                           FROM channels WHERE is_live AND NOT hidden GROUP BY category_slug) l ON l.category_slug = c.slug
             ORDER BY c.sort_order, c.slug
            """)
            .ListAsync(ReadWithLiveCounts);

    /// <summary>One category with its live counts; null when there is no such category.</summary>
    public Task<Category?> WithLiveCountsAsync(string slug)
    {
        var key = slug.Trim().ToLowerInvariant();
        return key.Length is 0 or > 40
            ? Task.FromResult<Category?>(null)
            : shared.GetOrReadAsync($"category\n{key}", () => ReadWithLiveCountsAsync(key));
    }

    private Task<Category?> ReadWithLiveCountsAsync(string key) =>
        dataSource.Sql("""
            SELECT c.slug, c.name_en, c.name_uk, l.channels, coalesce(l.viewers, 0), c.image_url
              FROM categories c
             CROSS JOIN LATERAL (SELECT count(*)::int AS channels, sum(viewer_count)::int AS viewers
                                   FROM channels WHERE is_live AND NOT hidden AND category_slug = c.slug) l
             WHERE c.slug = @slug
            """)
            .With("slug", key)
            .FirstOrDefaultAsync(ReadWithLiveCounts);

    /// <summary>
    /// Categories are a curated handful of rows that <see cref="AllWithLiveCountsAsync"/> reads whole anyway
    /// (with their counts); shuffling that list in memory is cheaper than any sampling in SQL.
    /// </summary>
    public async Task<IReadOnlyList<Category>> RandomWithLiveCountsAsync(int first)
    {
        var size = Cursor.PageSize(first);
        var all = (await AllWithLiveCountsAsync()).ToArray();
        Random.Shared.Shuffle(all);
        return all.Take(size).ToList();
    }

    private static Category ReadWithLiveCounts(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5));
}
