using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Sponsorship;

/// <summary>The reward rules at grain level (default configuration: 10 followers, or a first sponsorship) and the owner's one notice.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelRewardGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task The_tenth_follower_verifies_the_channel_and_its_owner_is_told_once()
    {
        var (channelId, channel) = await NewChannelAsync();
        for (var i = 0; i < 9; i++)
        {
            Assert.True(await channel.FollowAsync(Guid.NewGuid()));
        }

        Assert.False((await channel.GetAsync())!.Verified);
        Assert.Equal(0L, await VerifiedNoticesAsync(channelId));
        await channel.FollowAsync(Guid.NewGuid());
        Assert.True((await channel.GetAsync())!.Verified);
        Assert.Equal(1L, await VerifiedNoticesAsync(channelId));

        await channel.FollowAsync(Guid.NewGuid());
        await channel.OnSponsoredAsync();
        Assert.False(await channel.SetVerifiedAsync("again"));
        Assert.Equal(1L, await VerifiedNoticesAsync(channelId));
    }

    [Fact]
    public async Task A_first_sponsorship_verifies_the_channel()
    {
        var (channelId, channel) = await NewChannelAsync();
        await channel.OnSponsoredAsync();
        Assert.True((await channel.GetAsync())!.Verified);
        Assert.Equal(1L, await VerifiedNoticesAsync(channelId));
    }

    private async Task<(Guid Id, IChannelGrain Grain)> NewChannelAsync()
    {
        var id = Guid.NewGuid();
        var grain = fixture.GrainFactory.GetGrain<IChannelGrain>(id);
        await grain.CreateAsync($"c{id:N}"[..20], DateTimeOffset.UtcNow);
        return (id, grain);
    }

    /// <summary>The notification jobs recorded for this channel's verification (written before the grain call returns).</summary>
    private async Task<long> VerifiedNoticesAsync(Guid channelId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand(
            "SELECT count(*) FROM notification_jobs WHERE kind = @kind AND payload::text LIKE '%' || @id || '%'");
        command.Parameters.AddWithValue("kind", NotificationKind.ChannelVerified.ToString());
        command.Parameters.AddWithValue("id", channelId.ToString());
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
