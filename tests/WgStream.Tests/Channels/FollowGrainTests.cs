using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Channels;

/// <summary>Follower counts are exact under concurrency: the follows table and the channel's count never drift apart.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class FollowGrainTests(ClusterFixture fixture)
{
    private const string FollowRows = "SELECT count(*) FROM follows WHERE channel_id = @id";
    private const string StoredCount = "SELECT follower_count FROM channels WHERE channel_id = @id";

    [Fact]
    public async Task Concurrent_follows_duplicates_and_unfollows_keep_every_count_exact()
    {
        var owner = await fixture.RegisterAsync();
        var channel = fixture.Channel(owner.Id);
        var followers = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToList();

        var added = await Task.WhenAll(followers.Select(channel.FollowAsync));
        Assert.All(added, Assert.True);
        await AssertCountAsync(channel, owner.Id, 200);

        // The same 200 again, all at once: nothing is new.
        var again = await Task.WhenAll(followers.Select(channel.FollowAsync));
        Assert.All(again, Assert.False);
        await AssertCountAsync(channel, owner.Id, 200);

        var removed = await Task.WhenAll(followers.Take(100).Select(channel.UnfollowAsync));
        Assert.All(removed, Assert.True);
        await AssertCountAsync(channel, owner.Id, 100);

        // Unfollowing twice, or someone who never followed, changes nothing.
        Assert.False(await channel.UnfollowAsync(followers[0]));
        Assert.False(await channel.UnfollowAsync(Guid.NewGuid()));
        await AssertCountAsync(channel, owner.Id, 100);

        Assert.False(await channel.IsFollowedByAsync(followers[0]));
        Assert.True(await channel.IsFollowedByAsync(followers[199]));
        Assert.Null(await channel.GetFollowedSinceAsync(followers[0]));
        var since = await channel.GetFollowedSinceAsync(followers[199]);
        Assert.NotNull(since);
        Assert.InRange(DateTimeOffset.UtcNow - since.Value, TimeSpan.FromMinutes(-1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task One_follower_racing_with_itself_is_counted_once()
    {
        var owner = await fixture.RegisterAsync();
        var channel = fixture.Channel(owner.Id);
        var follower = Guid.NewGuid();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => channel.FollowAsync(follower)));
        Assert.Single(results, r => r);
        await AssertCountAsync(channel, owner.Id, 1);

        var unfollows = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => channel.UnfollowAsync(follower)));
        Assert.Single(unfollows, r => r);
        await AssertCountAsync(channel, owner.Id, 0);
    }

    [Fact]
    public async Task The_count_survives_deactivation_because_it_is_recounted_from_the_follows_table()
    {
        var owner = await fixture.RegisterAsync();
        var channel = fixture.Channel(owner.Id);
        await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => channel.FollowAsync(Guid.NewGuid())));
        await AssertCountAsync(channel, owner.Id, 30);

        // Spoil the projection: the grain must not trust it, only the follows rows.
        await using (var spoil = fixture.Database.DataSource.CreateCommand("UPDATE channels SET follower_count = 999 WHERE channel_id = @id"))
        {
            spoil.Parameters.AddWithValue("id", owner.Id);
            Assert.Equal(1, await spoil.ExecuteNonQueryAsync());
        }

        await fixture.DeactivateAsync(channel);

        Assert.Equal(30, (await channel.GetAsync())!.FollowerCount);
        Assert.True(await channel.FollowAsync(Guid.NewGuid()));
        await AssertCountAsync(channel, owner.Id, 31);
    }

    [Fact]
    public async Task Self_follows_are_refused_and_missing_channels_are_not_found()
    {
        var owner = await fixture.RegisterAsync();
        var channel = fixture.Channel(owner.Id);

        await RefusedAsync(() => channel.FollowAsync(owner.Id), ErrorCodes.BadUserInput, "channelId");
        await AssertCountAsync(channel, owner.Id, 0);

        var nowhere = fixture.Channel(Guid.NewGuid());
        await RefusedAsync(() => nowhere.FollowAsync(owner.Id), ErrorCodes.NotFound);
        await RefusedAsync(() => nowhere.UnfollowAsync(owner.Id), ErrorCodes.NotFound);
        Assert.Null(await nowhere.GetAsync());
        Assert.Equal(0, await fixture.CountAsync(FollowRows, nowhere.GetPrimaryKey()));
    }

    /// <summary>The same number in the grain's profile, in the follows rows and in the directory projection.</summary>
    private async Task AssertCountAsync(IChannelGrain channel, Guid channelId, int expected)
    {
        Assert.Equal(expected, (await channel.GetAsync())!.FollowerCount);
        Assert.Equal(expected, await fixture.CountAsync(FollowRows, channelId));
        Assert.Equal(expected, await fixture.CountAsync(StoredCount, channelId));
    }
}
