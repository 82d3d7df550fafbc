using Orleans.TestingHost;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Streams;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.DriftTestKit;

namespace WgStream.Tests.Streams;

/// <summary>
/// Going live and ending write the broadcaster's state, the stream row and the channel's live
/// state and directory row (issue 15). Whatever write fails or is cut short, the channel must end
/// up neither stuck live (the broadcaster live with nothing publishing) nor listed live as a ghost
/// (the listing live, the broadcaster offline), and no stream row stays open.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class BroadcastDriftGrainTests(ClusterFixture fixture)
{
    private const string IsLiveSql = "SELECT is_live FROM channels WHERE channel_id = @id";
    private const string OpenStreamsSql = "SELECT count(*) FROM streams WHERE channel_id = @id AND ended_at IS NULL";

    private IServiceProvider SiloServices => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;

    [Fact]
    public async Task A_go_live_whose_listing_write_fails_is_undone_instead_of_left_half_live()
    {
        var (broadcaster, channel, id) = await ChannelAsync();
        var connection = LiveKit();

        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "channels", $"NEW.channel_id = '{id}'"))
        {
            await Assert.ThrowsAnyAsync<Exception>(() => broadcaster.PublishAsync(connection, null));

            // Refused, so not live anywhere: not in the broadcaster, not on the channel, no open stream.
            Assert.Null(await broadcaster.GetLiveAsync());
            Assert.False((await channel.GetAsync())!.IsLive);
            Assert.Equal(0, await fixture.CountAsync(OpenStreamsSql, id));
            Assert.Equal("Interrupted", await fixture.ScalarAsync<string>("SELECT end_reason FROM streams WHERE channel_id = @id", id));
        }

        Assert.False(await fixture.ScalarAsync<bool>(IsLiveSql, id));
        // The encoder's retry goes live normally.
        Assert.Equal(PublishOutcome.Accepted, (await broadcaster.PublishAsync(connection, null)).Outcome);
        Assert.True(await fixture.ScalarAsync<bool>(IsLiveSql, id));
        await broadcaster.PublishDoneAsync(connection);
    }

    [Fact]
    public async Task An_end_whose_listing_write_fails_does_not_leave_a_ghost_live_listing()
    {
        var (broadcaster, channel, id) = await ChannelAsync();
        var connection = LiveKit();
        await broadcaster.PublishAsync(connection, null);
        Assert.True(await fixture.ScalarAsync<bool>(IsLiveSql, id));

        await using (await DatabaseFault.InjectAsync(fixture.Database.DataSource, "channels", $"NEW.channel_id = '{id}'"))
        {
            // The end itself is durable; only the listing could not follow yet.
            await broadcaster.PublishDoneAsync(connection);
            Assert.Null(await broadcaster.GetLiveAsync());
            Assert.True(await fixture.ScalarAsync<bool>(IsLiveSql, id));
        }

        // Once the row can be written the broadcaster's retry clears it: no ghost.
        await EventuallyAsync(async () => !await fixture.ScalarAsync<bool>(IsLiveSql, id), "The directory row still says live.");
        Assert.False((await channel.GetAsync())!.IsLive);
        Assert.Equal(0, await fixture.CountAsync(OpenStreamsSql, id));
    }

    [Fact]
    public async Task An_end_cut_short_after_the_broadcaster_state_is_finished_by_the_sweep()
    {
        var (broadcaster, channel, id) = await ChannelAsync();
        var connection = LiveKit();
        var streamId = (await broadcaster.PublishAsync(connection, null)).StreamId!.Value;
        var live = (await channel.GetAsync())!.Live!;
        await broadcaster.PublishDoneAsync(connection);

        // What a silo that stopped right after writing the broadcaster offline leaves: the stream row
        // open, the channel (state and row) still live, and no activation that knows better.
        await channel.SetLiveAsync(live);
        await fixture.ExecuteAsync("UPDATE streams SET ended_at = NULL, end_reason = NULL WHERE stream_id = @id", streamId);
        await fixture.DeactivateOneAsync(fixture.GrainFactory.GetGrain<IStreamGrain>(streamId));
        await fixture.DeactivateOneAsync(broadcaster);
        Assert.True(await fixture.ScalarAsync<bool>(IsLiveSql, id));

        Assert.True(await StreamRecovery.ReconcileAsync(SiloServices, CancellationToken.None) >= 1);

        Assert.False((await channel.GetAsync())!.IsLive);
        Assert.False(await fixture.ScalarAsync<bool>(IsLiveSql, id));
        Assert.Equal(0, await fixture.CountAsync(OpenStreamsSql, id));
        Assert.Null(await broadcaster.GetLiveAsync());
    }

    [Fact]
    public async Task A_stream_row_opened_by_a_go_live_that_never_reached_the_broadcaster_is_closed()
    {
        var (broadcaster, channel, id) = await ChannelAsync();
        // A silo stopped between recording the stream and writing the broadcaster live.
        var orphan = Guid.NewGuid();
        await fixture.ExecuteAsync(
            $"INSERT INTO streams (stream_id, channel_id, title, started_at, ingest) VALUES ('{orphan}', @id, 'orphan', now() - interval '1 hour', 'Rtmp')",
            id);

        await StreamRecovery.ReconcileAsync(SiloServices, CancellationToken.None);

        Assert.Equal(0, await fixture.CountAsync(OpenStreamsSql, id));
        Assert.Equal("Interrupted", await fixture.ScalarAsync<string>("SELECT end_reason FROM streams WHERE stream_id = @id", orphan));
        Assert.Null(await broadcaster.GetLiveAsync());
        Assert.False((await channel.GetAsync())!.IsLive);
    }

    [Fact]
    public async Task A_go_live_cut_short_before_the_channel_heard_of_it_is_listed_when_the_broadcaster_reactivates()
    {
        var (broadcaster, channel, id) = await ChannelAsync();
        var connection = LiveKit();
        var streamId = (await broadcaster.PublishAsync(connection, null)).StreamId!.Value;
        // The broadcaster's state says live but the channel never got the news.
        await channel.SetLiveAsync(null);
        await fixture.DeactivateOneAsync(broadcaster);
        Assert.False(await fixture.ScalarAsync<bool>(IsLiveSql, id));

        await StreamRecovery.ReconcileAsync(SiloServices, CancellationToken.None);

        Assert.Equal(streamId, (await channel.GetAsync())!.Live?.StreamId);
        Assert.True(await fixture.ScalarAsync<bool>(IsLiveSql, id));
        Assert.Equal(streamId, (await broadcaster.GetLiveAsync())?.Id);
        await broadcaster.PublishDoneAsync(connection);
        Assert.False(await fixture.ScalarAsync<bool>(IsLiveSql, id));
    }

    [Fact]
    public async Task An_on_publish_overtaken_by_its_on_publish_done_or_retried_after_the_end_does_not_go_live()
    {
        var (broadcaster, channel, _) = await ChannelAsync();
        var keyHash = StreamKeys.Hash((await broadcaster.GetSettingsAsync()).StreamKey);

        var overtaken = Rtmp();
        await broadcaster.PublishDoneAsync(overtaken);
        Assert.Equal(PublishOutcome.AlreadyEnded, (await broadcaster.PublishAsync(overtaken, keyHash)).Outcome);
        Assert.Null(await broadcaster.GetLiveAsync());
        Assert.False((await channel.GetAsync())!.IsLive);

        var ended = Rtmp();
        Assert.Equal(PublishOutcome.Accepted, (await broadcaster.PublishAsync(ended, keyHash)).Outcome);
        await broadcaster.PublishDoneAsync(ended);
        Assert.Equal(PublishOutcome.AlreadyEnded, (await broadcaster.PublishAsync(ended, keyHash)).Outcome);
        Assert.Null(await broadcaster.GetLiveAsync());

        // A new connection (the encoder reconnecting) is not affected.
        var next = Rtmp();
        Assert.Equal(PublishOutcome.Accepted, (await broadcaster.PublishAsync(next, keyHash)).Outcome);
        await broadcaster.PublishDoneAsync(next);
    }

    private static IngestConnection LiveKit() => new(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");

    private static IngestConnection Rtmp() => new(IngestKind.Rtmp, $"127.0.0.1:1935#{Random.Shared.Next(1, 1_000_000)}");

    private async Task<(IBroadcasterGrain Broadcaster, IChannelGrain Channel, Guid Id)> ChannelAsync()
    {
        var user = await fixture.RegisterAsync();
        return (fixture.GrainFactory.GetGrain<IBroadcasterGrain>(user.Id), fixture.GrainFactory.GetGrain<IChannelGrain>(user.Id), user.Id);
    }
}
