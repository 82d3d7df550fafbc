using Npgsql;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Grains.Channels;

/// <summary>Writes to the <c>categories</c> table (reads with live counts are <see cref="ChannelDirectory"/>'s).</summary>
public sealed class CategoryStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "slug, name_en, name_uk, image_url";

    /// <summary>Every category in display order, without live counts.</summary>
    public async Task<IReadOnlyList<Category>> AllAsync()
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM categories ORDER BY sort_order, slug");
        return await ReadAsync(command);
    }

    /// <summary>Adds the category after the last one; false when the slug is taken.</summary>
    public async Task<bool> InsertAsync(string slug, string nameEn, string nameUk)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO categories (slug, name_en, name_uk, sort_order)
            SELECT @slug, @en, @uk, coalesce(max(sort_order), 0) + 10 FROM categories
            ON CONFLICT (slug) DO NOTHING
            """);
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("en", nameEn);
        command.Parameters.AddWithValue("uk", nameUk);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>False when there is no such category.</summary>
    public async Task<bool> RenameAsync(string slug, string nameEn, string nameUk)
    {
        await using var command = dataSource.CreateCommand("UPDATE categories SET name_en = @en, name_uk = @uk WHERE slug = @slug");
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.AddWithValue("en", nameEn);
        command.Parameters.AddWithValue("uk", nameUk);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>Numbers the categories 10, 20, … in the given order, in one statement.</summary>
    public async Task ReorderAsync(IReadOnlyList<string> slugs)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE categories c SET sort_order = o.position * 10
              FROM unnest(@slugs) WITH ORDINALITY AS o(slug, position)
             WHERE c.slug = o.slug
            """);
        command.Parameters.AddWithValue("slugs", slugs.ToArray());
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Sets the image and returns the keys it replaced; null when there is no such category.</summary>
    public async Task<IReadOnlyList<string>?> SetImageAsync(string slug, ChannelImage? image)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE categories c SET image_url = @url, image_keys = @keys
              FROM (SELECT slug, image_keys FROM categories WHERE slug = @slug FOR UPDATE) old
             WHERE c.slug = old.slug
            RETURNING old.image_keys
            """);
        command.Parameters.AddWithValue("slug", slug);
        command.Parameters.Add(new NpgsqlParameter("url", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)image?.Urls.Values.FirstOrDefault() ?? DBNull.Value });
        command.Parameters.AddWithValue("keys", image?.StorageKeys.ToArray() ?? []);
        return await command.ExecuteScalarAsync() is string[] replaced ? replaced : null;
    }

    private static async Task<IReadOnlyList<Category>> ReadAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var categories = new List<Category>();
        while (await reader.ReadAsync())
        {
            categories.Add(new Category(reader.GetString(0), reader.GetString(1), reader.GetString(2), ImageUrl: reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return categories;
    }
}
