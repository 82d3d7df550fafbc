using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Channels;

/// <summary>
/// Queries over all channels (lookups, search, live directory, follow lists), answered from
/// PostgreSQL. A stateless worker: use key 0. Cursors are opaque; a malformed one is BAD_USER_INPUT.
/// </summary>
public interface IChannelDirectoryGrain : IGrainWithIntegerKey
{
    [ReadOnly]
    Task<Guid?> FindByUsernameAsync(string username);

    /// <summary>Whether the channel exists, from its directory row: lets a front end refuse an unknown id without activating anything for it.</summary>
    [ReadOnly]
    Task<bool> ExistsAsync(Guid channelId);

    /// <summary>
    /// Channels by name (username prefix first, then similar names), then live channels whose stream
    /// title matches or that carry the text as a tag; <paramref name="filter"/> narrows all of them.
    /// </summary>
    Task<Page<ChannelListing>> SearchAsync(string query, int first, string? after, DirectoryFilter? filter = null);

    Task<Page<ChannelListing>> LiveAsync(string? categorySlug, int first, string? after, DirectoryFilter? filter = null);

    /// <summary>The channels <paramref name="userId"/> follows: live ones first, most viewers first, then the others by name.</summary>
    Task<Page<ChannelListing>> FollowedAsync(Guid userId, int first, string? after);

    /// <summary>Every category in display order, with its live channel and viewer counts.</summary>
    Task<IReadOnlyList<Category>> CategoriesAsync();

    /// <summary>One category by slug with its live counts; null for a slug that is not one.</summary>
    Task<Category?> CategoryAsync(string slug);

    /// <summary>Up to <paramref name="first"/> (1–50) distinct categories in random order.</summary>
    Task<IReadOnlyList<Category>> RandomCategoriesAsync(int first);

    /// <summary>Up to <paramref name="first"/> (1–50) distinct live channels, drawn uniformly at random, in random order.</summary>
    Task<IReadOnlyList<ChannelListing>> RandomLiveAsync(int first);

    /// <summary>
    /// Channels to suggest to <paramref name="viewerId"/> (null: someone signed out): live ones first,
    /// by viewers with a boost for the categories of channels they follow, then the most followed
    /// offline ones; never their own channel or one they follow. Deterministic for a given state.
    /// </summary>
    Task<IReadOnlyList<ChannelListing>> RecommendedAsync(Guid? viewerId, int first);

    Task<Page<FollowEntry>> FollowersAsync(Guid channelId, int first, string? after);

    Task<Page<FollowEntry>> FollowingAsync(Guid userId, int first, string? after);
}
