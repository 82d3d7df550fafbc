using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.Grains.Common;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Accounts;

/// <summary>The block list grain with its real table and stream: rules, follows, the limit and paging.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class UserBlocksGrainTests(ClusterFixture fixture)
{
    private const string Rows = "SELECT count(*) FROM user_blocks WHERE user_id = @id";

    [Fact]
    public async Task A_block_is_kept_across_activations_ends_the_follow_and_refuses_a_new_one_until_lifted()
    {
        var blocker = await fixture.RegisterAsync();
        var pest = await fixture.RegisterAsync();
        var other = await fixture.RegisterAsync();
        var blocks = fixture.GrainFactory.GetGrain<IUserBlocksGrain>(blocker.Id);
        var channel = fixture.Channel(blocker.Id);
        Assert.True(await channel.FollowAsync(pest.Id));
        Assert.True(await channel.FollowAsync(other.Id));
        await using var changes = await ChangesAsync();

        Assert.True(await blocks.BlockAsync(pest.Id));
        Assert.False(await blocks.BlockAsync(pest.Id)); // a second call is the same block
        Assert.False(await channel.IsFollowedByAsync(pest.Id));
        Assert.True(await channel.IsFollowedByAsync(other.Id));
        Assert.Equal(1, (await channel.GetAsync())!.FollowerCount);
        await RefusedAsync(() => channel.FollowAsync(pest.Id), ErrorCodes.Forbidden);
        Assert.True(await fixture.Channel(pest.Id).FollowAsync(blocker.Id)); // one-sided: the blocker may still follow them

        // Every call announces the whole list, so a node that missed one is put right by the next.
        var announced = await changes.WaitForAsync(c => c.UserId == blocker.Id, 2);
        Assert.All(announced, c => Assert.Equal([pest.Id], c.Blocked));

        await fixture.DeactivateAsync(blocks);
        Assert.True(await blocks.HasBlockedAsync(pest.Id));
        Assert.Equal([pest.Id], await blocks.GetBlockedIdsAsync());
        Assert.Equal(1, await fixture.CountAsync(Rows, blocker.Id));

        Assert.True(await blocks.UnblockAsync(pest.Id));
        Assert.False(await blocks.UnblockAsync(pest.Id));
        Assert.Empty((await changes.WaitForAsync(c => c.UserId == blocker.Id, 3))[2].Blocked);
        Assert.Equal(0, await fixture.CountAsync(Rows, blocker.Id));
        Assert.True(await channel.FollowAsync(pest.Id));
    }

    [Fact]
    public async Task Oneself_unknown_accounts_and_a_full_list_are_refused()
    {
        var blocker = await fixture.RegisterAsync();
        var blocks = fixture.GrainFactory.GetGrain<IUserBlocksGrain>(blocker.Id);
        await RefusedAsync(() => blocks.BlockAsync(blocker.Id), ErrorCodes.BadUserInput, "userId");
        await RefusedAsync(() => blocks.BlockAsync(Guid.NewGuid()), ErrorCodes.NotFound);
        Assert.Empty(await blocks.GetBlockedIdsAsync());

        // Fill the list to the shipped limit (1,000) in the table, as earlier blocks would have, and read it back.
        await fixture.ExecuteAsync(
            "INSERT INTO user_blocks (user_id, blocked_user_id, created_at) SELECT @id, gen_random_uuid(), now() - n * interval '1 second' FROM generate_series(1, 1000) n",
            blocker.Id);
        await fixture.DeactivateAsync(blocks);
        Assert.Equal(1000, (await blocks.GetBlockedIdsAsync()).Count);
        var last = await fixture.RegisterAsync();
        var full = await RefusedAsync(() => blocks.BlockAsync(last.Id), ErrorCodes.BadUserInput, "userId");
        Assert.Contains("at most 1000", full.Message, StringComparison.Ordinal);

        var someone = (await blocks.GetBlockedIdsAsync())[0];
        Assert.True(await blocks.UnblockAsync(someone));
        Assert.True(await blocks.BlockAsync(last.Id));
    }

    [Fact]
    public async Task The_list_pages_newest_first_and_refuses_forged_cursors()
    {
        var blocker = await fixture.RegisterAsync();
        var blocks = fixture.GrainFactory.GetGrain<IUserBlocksGrain>(blocker.Id);
        var blocked = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var user = await fixture.RegisterAsync();
            await blocks.BlockAsync(user.Id);
            blocked.Add(user.Id);
            await Task.Delay(5); // distinct times, so "newest first" is one order
        }

        var seen = new List<Guid>();
        string? after = null;
        do
        {
            var page = await blocks.ListAsync(2, after);
            Assert.InRange(page.Edges.Count, 1, 2);
            seen.AddRange(page.Edges.Select(e => e.Node.UserId));
            after = page.HasNextPage ? page.EndCursor : null;
        }
        while (after is not null);

        Assert.Equal(Enumerable.Reverse(blocked), seen);
        await RefusedAsync(() => blocks.ListAsync(0, null), ErrorCodes.BadUserInput, "first");
        await RefusedAsync(() => blocks.ListAsync(51, null), ErrorCodes.BadUserInput, "first");
        await RefusedAsync(() => blocks.ListAsync(2, "not-a-cursor"), ErrorCodes.BadUserInput, "after");
        await RefusedAsync(() => blocks.ListAsync(2, Cursor.Encode("99999999999999999999", Guid.Empty.ToString())), ErrorCodes.BadUserInput, "after");
        await RefusedAsync(() => blocks.ListAsync(2, Cursor.Encode("1", "not-a-guid")), ErrorCodes.BadUserInput, "after");
    }

    private async Task<ChangeLog> ChangesAsync()
    {
        var stream = fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<UserBlocksChanged>(StreamId.Create(StreamNames.UserBlocks, StreamNames.UserBlocksKey));
        var log = new ChangeLog();
        log.Handle = await stream.SubscribeAsync((change, _) =>
        {
            log.Add(change);
            return Task.CompletedTask;
        });
        return log;
    }

    /// <summary>The block changes the cluster announced while a test ran.</summary>
    private sealed class ChangeLog : IAsyncDisposable
    {
        private readonly List<UserBlocksChanged> changes = [];

        public StreamSubscriptionHandle<UserBlocksChanged>? Handle { get; set; }

        public void Add(UserBlocksChanged change)
        {
            lock (changes)
            {
                changes.Add(change);
            }
        }

        public async Task<List<UserBlocksChanged>> WaitForAsync(Func<UserBlocksChanged, bool> match, int count)
        {
            await DriftTestKit.EventuallyAsync(
                () =>
                {
                    lock (changes)
                    {
                        return Task.FromResult(changes.Count(match) >= count);
                    }
                },
                $"{count} block change(s) announced",
                TimeSpan.FromSeconds(10));
            lock (changes)
            {
                return [.. changes.Where(match)];
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Handle is not null)
            {
                await Handle.UnsubscribeAsync();
            }
        }
    }
}
