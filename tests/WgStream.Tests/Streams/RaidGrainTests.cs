using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Streams;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Streams;

/// <summary>Raids between broadcaster grains: who may raid whom, what the two sides hear, and the cooldown.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class RaidGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_live_channel_raids_a_live_one_its_viewers_hear_where_to_and_the_targets_chat_announces_it()
    {
        var raider = await LiveAsync();
        var target = await LiveAsync();
        await using var raiderStatus = await StatusAsync(raider.Id);
        await using var targetChat = await fixture.SubscribeChatAsync(target.Id);

        var raid = await Broadcaster(raider).RaidAsync(target.Id);
        Assert.Equal((raider.Id, raider.Username, target.Id, target.Username), (raid.FromChannelId, raid.FromUsername, raid.ToChannelId, raid.ToUsername));

        var announced = await targetChat.WaitForAsync(e => e.Kind == ChatEventKind.Raid);
        Assert.Equal(raid, announced.Raid);
        var status = await raiderStatus.WaitForAsync(s => s.Kind == StreamStatusKind.Raided);
        Assert.Equal(target.Username, status.Raid!.ToUsername);

        // The raider is still live (the encoder decides when it ends) but cannot raid again at once.
        Assert.NotNull(await Broadcaster(raider).GetLiveAsync());
        var other = await LiveAsync();
        var again = await RefusedAsync(() => Broadcaster(raider).RaidAsync(other.Id), ErrorCodes.RateLimited);
        Assert.NotNull(again.RetryAt);
    }

    [Fact]
    public async Task Raids_need_both_live_and_the_targets_consent()
    {
        var raider = await LiveAsync();
        var offline = await fixture.RegisterAsync();
        var notLive = await fixture.RegisterAsync();
        await RefusedAsync(() => Broadcaster(offline).RaidAsync(raider.Id), ErrorCodes.Conflict);
        await RefusedAsync(() => Broadcaster(raider).RaidAsync(raider.Id), ErrorCodes.BadUserInput);
        await RefusedAsync(() => Broadcaster(raider).RaidAsync(notLive.Id), ErrorCodes.NotFound);

        var closed = await LiveAsync();
        Assert.Equal(RaidPolicy.Nobody, await Broadcaster(closed).SetRaidPolicyAsync(RaidPolicy.Nobody));
        await RefusedAsync(() => Broadcaster(raider).RaidAsync(closed.Id), ErrorCodes.Forbidden);
        await RefusedAsync(() => Broadcaster(closed).SetRaidPolicyAsync((RaidPolicy)9), ErrorCodes.BadUserInput, "policy");

        var picky = await LiveAsync();
        await Broadcaster(picky).SetRaidPolicyAsync(RaidPolicy.FollowedOnly);
        await RefusedAsync(() => Broadcaster(raider).RaidAsync(picky.Id), ErrorCodes.Forbidden);
        await fixture.Channel(raider.Id).FollowAsync(picky.Id); // picky follows the raider
        Assert.Equal(picky.Id, (await Broadcaster(raider).RaidAsync(picky.Id)).ToChannelId);

        // A channel that blocked the raider refuses, in words that do not give the block away.
        var blocker = await LiveAsync();
        var raider2 = await LiveAsync();
        await fixture.GrainFactory.GetGrain<IUserBlocksGrain>(blocker.Id).BlockAsync(raider2.Id);
        var refused = await RefusedAsync(() => Broadcaster(raider2).RaidAsync(blocker.Id), ErrorCodes.Forbidden);
        Assert.DoesNotContain("block", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Two_channels_raiding_each_other_at_once_do_not_wait_on_each_other()
    {
        var a = await LiveAsync();
        var b = await LiveAsync();
        var both = await Task.WhenAll(Broadcaster(a).RaidAsync(b.Id), Broadcaster(b).RaidAsync(a.Id)).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([b.Id, a.Id], both.Select(r => r.ToChannelId));
    }

    private IBroadcasterGrain Broadcaster(TestUser user) => fixture.GrainFactory.GetGrain<IBroadcasterGrain>(user.Id);

    private async Task<TestUser> LiveAsync()
    {
        var user = await fixture.RegisterAsync();
        var keyHash = StreamKeys.Hash((await Broadcaster(user).GetSettingsAsync()).StreamKey);
        var published = await Broadcaster(user).PublishAsync(new IngestConnection(IngestKind.Rtmp, $"127.0.0.1:1935#{Guid.NewGuid():N}"), keyHash);
        Assert.Equal(PublishOutcome.Accepted, published.Outcome);
        return user;
    }

    private async Task<StatusLog> StatusAsync(Guid channelId)
    {
        var log = new StatusLog();
        log.Handle = await fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<StreamStatusChanged>(StreamId.Create(StreamNames.StreamStatus, channelId))
            .SubscribeAsync((status, _) =>
            {
                lock (log.Items)
                {
                    log.Items.Add(status);
                }

                return Task.CompletedTask;
            });
        return log;
    }

    private sealed class StatusLog : IAsyncDisposable
    {
        public List<StreamStatusChanged> Items { get; } = [];

        public StreamSubscriptionHandle<StreamStatusChanged>? Handle { get; set; }

        public async Task<StreamStatusChanged> WaitForAsync(Func<StreamStatusChanged, bool> match)
        {
            StreamStatusChanged? found = null;
            await DriftTestKit.EventuallyAsync(
                () =>
                {
                    lock (Items)
                    {
                        found = Items.FirstOrDefault(match);
                    }

                    return Task.FromResult(found is not null);
                },
                "a status event",
                TimeSpan.FromSeconds(10));
            return found!;
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
