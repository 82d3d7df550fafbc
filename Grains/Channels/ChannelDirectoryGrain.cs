using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Grains.Channels;

[StatelessWorker]
public sealed class ChannelDirectoryGrain(ChannelListingStore directory, CategoryStore categories) : Grain, IChannelDirectoryGrain
{
    public Task<Guid?> FindByUsernameAsync(string username) => directory.FindByUsernameAsync(username);

    public Task<bool> ExistsAsync(Guid channelId) => directory.ExistsAsync(channelId);

    public Task<Page<ChannelListing>> SearchAsync(string query, int first, string? after, DirectoryFilter? filter = null) =>
        directory.SearchAsync(query, first, after, filter);

    public Task<Page<ChannelListing>> LiveAsync(string? categorySlug, int first, string? after, DirectoryFilter? filter = null) =>
        directory.LiveAsync(categorySlug, first, after, filter);

    public Task<Page<ChannelListing>> FollowedAsync(Guid userId, int first, string? after) => directory.FollowedAsync(userId, first, after);

    public Task<IReadOnlyList<Category>> CategoriesAsync() => categories.AllWithLiveCountsAsync();

    public Task<Category?> CategoryAsync(string slug) => categories.WithLiveCountsAsync(slug);

    public Task<IReadOnlyList<Category>> RandomCategoriesAsync(int first) => categories.RandomWithLiveCountsAsync(first);

    public Task<IReadOnlyList<ChannelListing>> RandomLiveAsync(int first) => directory.RandomLiveAsync(first);

    public Task<IReadOnlyList<ChannelListing>> RecommendedAsync(Guid? viewerId, int first) => directory.RecommendedAsync(viewerId, first);

    public Task<Page<FollowEntry>> FollowersAsync(Guid channelId, int first, string? after) => directory.FollowersAsync(channelId, first, after);

    public Task<Page<FollowEntry>> FollowingAsync(Guid userId, int first, string? after) => directory.FollowingAsync(userId, first, after);
}
