using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Channels;

/// <summary>
/// Operators' category changes, one at a time (a single activation, not reentrant). Each change
/// is one statement on <c>categories</c>, then this silo's shared directory reads are dropped so
/// the next read here sees it (other silos within <c>Directory:SharedReadDuration</c>).
/// </summary>
public sealed class CategoryAdminGrain(CategoryStore store, DirectoryReadCache directory) : Grain, ICategoryAdminGrain
{
    public async Task<Category> CreateAsync(string slug, string nameEn, string? nameUk)
    {
        var key = CategoryRules.Slug(slug);
        var en = CategoryRules.Name(nameEn, "nameEn");
        var uk = string.IsNullOrWhiteSpace(nameUk) ? en : CategoryRules.Name(nameUk, "nameUk");
        if (!await store.InsertAsync(key, en, uk))
        {
            throw WgException.BadInput($"There is a category \"{key}\" already.", "slug");
        }

        directory.Changed();
        return new Category(key, en, uk);
    }

    public async Task<Category> RenameAsync(string slug, string? nameEn, string? nameUk)
    {
        var current = await FindAsync(slug);
        var en = nameEn is null ? current.NameEn : CategoryRules.Name(nameEn, "nameEn");
        var uk = nameUk is null ? current.NameUk : CategoryRules.Name(nameUk, "nameUk");
        if (!await store.RenameAsync(current.Slug, en, uk))
        {
            throw WgException.NotFound("No such category.");
        }

        directory.Changed();
        return current with { NameEn = en, NameUk = uk };
    }

    public async Task<IReadOnlyList<Category>> ReorderAsync(IReadOnlyList<string> slugs)
    {
        var order = slugs.Select(s => s.Trim()).ToList();
        if (order.Distinct(StringComparer.Ordinal).Count() != order.Count)
        {
            throw WgException.BadInput("Name each category once.", "slugs");
        }

        var all = await store.AllAsync();
        if (order.Count != all.Count || !all.All(c => order.Contains(c.Slug, StringComparer.Ordinal)))
        {
            throw WgException.Conflict("The categories have changed since this list was loaded; reload and order them again.");
        }

        await store.ReorderAsync(order);
        directory.Changed();
        var bySlug = all.ToDictionary(c => c.Slug, StringComparer.Ordinal);
        return order.Select(s => bySlug[s]).ToList();
    }

    public async Task<IReadOnlyList<string>> SetImageAsync(string slug, ChannelImage? image)
    {
        var replaced = await store.SetImageAsync((slug ?? string.Empty).Trim(), image) ?? throw WgException.NotFound("No such category.");
        directory.Changed();
        return replaced;
    }

    private async Task<Category> FindAsync(string? slug)
    {
        var key = (slug ?? string.Empty).Trim();
        return (await store.AllAsync()).FirstOrDefault(c => c.Slug == key) ?? throw WgException.NotFound("No such category.");
    }
}
