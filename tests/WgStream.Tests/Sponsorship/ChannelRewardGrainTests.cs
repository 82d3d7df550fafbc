using System.Threading.Channels;
using Orleans.Runtime;
using Orleans.Streams;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Sponsorship;

/// <summary>The reward rules at grain level (default configuration: 10 followers, or a first sponsorship) and the ChannelVerified announcement.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ChannelRewardGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_tenth_follower_verifies_the_channel_and_it_is_announced_once_on_channel_events()
    {
        var (channelId, channel) = await NewChannelAsync();
        var events = await SubscribeAsync(channelId);

        for (var i = 0; i < 9; i++)
        {
            Assert.True(await channel.FollowAsync(Guid.NewGuid()));
        }

        Assert.False((await channel.GetAsync())!.Verified);
        Assert.False(events.TryRead(out _));
        await channel.FollowAsync(Guid.NewGuid());
        Assert.True((await channel.GetAsync())!.Verified);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var verified = Assert.IsType<ChannelVerified>(await events.ReadAsync(timeout.Token));
        Assert.Equal(channelId, verified.ChannelId);
        Assert.Equal("followers", verified.Reason);
        Assert.True(DateTimeOffset.UtcNow - verified.At < TimeSpan.FromMinutes(1));

        await channel.FollowAsync(Guid.NewGuid());
        await channel.OnSponsoredAsync();
        Assert.False(await channel.SetVerifiedAsync("again"));
        await Task.Delay(500);
        Assert.False(events.TryRead(out var extra), $"Unexpected {extra}");
    }

    [Fact]
    public async Task A_first_sponsorship_verifies_the_channel()
    {
        var (channelId, channel) = await NewChannelAsync();
        var events = await SubscribeAsync(channelId);
        await channel.OnSponsoredAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal("sponsorship", Assert.IsType<ChannelVerified>(await events.ReadAsync(timeout.Token)).Reason);
        Assert.True((await channel.GetAsync())!.Verified);
    }

    private async Task<(Guid Id, IChannelGrain Grain)> NewChannelAsync()
    {
        var id = Guid.NewGuid();
        var grain = fixture.GrainFactory.GetGrain<IChannelGrain>(id);
        await grain.CreateAsync($"c{id:N}"[..20], DateTimeOffset.UtcNow);
        return (id, grain);
    }

    private async Task<ChannelReader<ChannelEvent>> SubscribeAsync(Guid channelId)
    {
        var channel = Channel.CreateUnbounded<ChannelEvent>();
        // The stream carries every kind of channel event (streaming ones too): keep the reward ones.
        await fixture.Cluster.Client.GetStreamProvider(StreamNames.Provider)
            .GetStream<GrainInterfaces.Streams.IChannelEvent>(StreamId.Create(StreamNames.ChannelEvents, channelId))
            .SubscribeAsync((e, _) => e is ChannelEvent reward ? channel.Writer.WriteAsync(reward).AsTask() : Task.CompletedTask);
        return channel.Reader;
    }
}
