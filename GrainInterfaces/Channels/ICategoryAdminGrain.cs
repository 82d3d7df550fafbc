namespace WgStream.GrainInterfaces.Channels;

/// <summary>
/// Operators' changes to the categories (table <c>categories</c>). One activation (key 0), so
/// changes happen one at a time and a reorder sees the list it replaces. The caller has checked
/// that the actor is an operator. Live counts in the answers are zero: read them from the directory.
/// </summary>
public interface ICategoryAdminGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A new category at the end of the list. BAD_USER_INPUT for a slug that is not 2–40 lower-case
    /// letters, digits and single hyphens (field <c>slug</c>), one already taken (<c>slug</c>), or a
    /// name that is empty or over 60 characters (<c>nameEn</c>, <c>nameUk</c>; the Ukrainian name
    /// defaults to the English one).
    /// </summary>
    Task<Category> CreateAsync(string slug, string nameEn, string? nameUk);

    /// <summary>New names (null leaves one as it is); the slug, and so every link and stream in it, stays. NOT_FOUND for an unknown slug.</summary>
    Task<Category> RenameAsync(string slug, string? nameEn, string? nameUk);

    /// <summary>
    /// The display order: every slug once. BAD_USER_INPUT (field <c>slugs</c>) for a slug given twice;
    /// CONFLICT when the list does not name exactly the categories there are (one was added or is
    /// unknown: reload and try again). Returns the categories in their new order.
    /// </summary>
    Task<IReadOnlyList<Category>> ReorderAsync(IReadOnlyList<string> slugs);

    /// <summary>Sets (or with null removes) the category's image; returns the storage keys it replaced, to delete. NOT_FOUND for an unknown slug.</summary>
    Task<IReadOnlyList<string>> SetImageAsync(string slug, ChannelImage? image);
}
