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

    Task<Page<ChannelListing>> SearchAsync(string query, int first, string? after);

    Task<Page<ChannelListing>> LiveAsync(string? categorySlug, int first, string? after);

    Task<IReadOnlyList<Category>> CategoriesAsync();

    Task<Page<FollowEntry>> FollowersAsync(Guid channelId, int first, string? after);

    Task<Page<FollowEntry>> FollowingAsync(Guid userId, int first, string? after);
}
