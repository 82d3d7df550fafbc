using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Streams;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Infrastructure.GrainTestAccounts;

namespace WgStream.Tests.Streams;

/// <summary>
/// The broadcaster grain's viewer count is the sum of the Api nodes' latest reports, each counting
/// until its lease ends (ViewerCountClusterTests does the same over real Api nodes).
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ViewerCountGrainTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Reports_are_summed_per_node_and_a_late_older_report_never_overrides_a_newer_one()
    {
        var (broadcaster, channel) = await ChannelAsync();

        // Viewers waiting on an offline channel are counted, but shown only once it is live.
        Assert.Equal(3, await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 3, 1, Long)));
        Assert.Equal(5, await broadcaster.ReportViewersAsync(new ViewerReport("node-b", 2, 1, Long)));
        Assert.Null(await broadcaster.GetLiveAsync());
        var connection = new IngestConnection(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");
        Assert.Equal(PublishOutcome.Accepted, (await broadcaster.PublishAsync(connection, null)).Outcome);
        Assert.Equal(5, (await broadcaster.GetLiveAsync())!.ViewerCount);
        Assert.Equal(5, (await channel.GetAsync())!.Live!.ViewerCount);

        // A node's report replaces its previous one; one overtaken by a newer one is ignored.
        Assert.Equal(6, await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 4, 3, Long)));
        Assert.Equal(6, await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 1, 2, Long)));
        // Zero takes the node out at once, and a late report from before it does not bring it back.
        Assert.Equal(2, await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 0, 4, Long)));
        Assert.Equal(2, await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 4, 3, Long)));
        Assert.Equal(2, (await broadcaster.GetLiveAsync())!.ViewerCount);
        Assert.Equal(2, (await channel.GetAsync())!.Live!.ViewerCount);

        await broadcaster.PublishDoneAsync(connection);
        Assert.Null(await broadcaster.GetLiveAsync());
        Assert.Equal(0, (await channel.GetAsync())!.Live?.ViewerCount ?? 0);
    }

    [Fact]
    public async Task A_node_that_stops_renewing_stops_counting_when_its_lease_ends()
    {
        var (broadcaster, channel) = await ChannelAsync();
        var connection = new IngestConnection(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");
        await broadcaster.PublishAsync(connection, null);
        await broadcaster.ReportViewersAsync(new ViewerReport("renewing", 2, 1, TimeSpan.FromSeconds(2)));
        Assert.Equal(5, await broadcaster.ReportViewersAsync(new ViewerReport("dying", 3, 1, TimeSpan.FromSeconds(2))));

        // "renewing" keeps reporting (as a node does, every third of its lease); "dying" goes quiet.
        var sequence = 1L;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await broadcaster.GetLiveAsync())!.ViewerCount != 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "The silent node's viewers were never dropped.");
            await broadcaster.ReportViewersAsync(new ViewerReport("renewing", 2, ++sequence, TimeSpan.FromSeconds(2)));
            await Task.Delay(300);
        }

        Assert.Equal(2, (await channel.GetAsync())!.Live!.ViewerCount);
        await broadcaster.PublishDoneAsync(connection);
    }

    [Fact]
    public async Task A_channel_grain_reactivated_while_live_catches_up_with_the_count()
    {
        var (broadcaster, channel) = await ChannelAsync();
        var connection = new IngestConnection(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");
        await broadcaster.PublishAsync(connection, null);
        await broadcaster.ReportViewersAsync(new ViewerReport("node", 7, 1, Long));
        Assert.Equal(7, (await channel.GetAsync())!.Live!.ViewerCount);
        // Let the change be flushed to the directory first, so only the periodic re-send can help below.
        var flushed = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await fixture.CountAsync("SELECT viewer_count FROM channels WHERE channel_id = @id", channel.GetPrimaryKey()) != 7)
        {
            Assert.True(DateTime.UtcNow < flushed, "The count was never flushed to the directory.");
            await Task.Delay(100);
        }

        // The channel keeps the count in memory; a new activation starts without it and is sent it
        // again (every Streams:ViewerLease) although the count itself has not changed.
        // Only the channel: collecting every idle activation could take the broadcaster (with its
        // in-memory reports) too, which Api nodes would rebuild but this test has none.
        await channel.AsReference<Orleans.Core.Internal.IGrainManagementExtension>().DeactivateOnIdle();
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);
        var gone = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await management.GetGrainActivationCount((GrainReference)channel) != 0)
        {
            Assert.True(DateTime.UtcNow < gone, "The channel grain did not deactivate.");
            await Task.Delay(50);
        }

        Assert.Equal(1, await management.GetGrainActivationCount((GrainReference)broadcaster));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await channel.GetAsync())!.Live!.ViewerCount != 7)
        {
            Assert.True(DateTime.UtcNow < deadline, "The reactivated channel never caught up.");
            await Task.Delay(200);
        }

        await broadcaster.PublishDoneAsync(connection);
    }

    private async Task<(IBroadcasterGrain Broadcaster, IChannelGrain Channel)> ChannelAsync()
    {
        var user = await fixture.RegisterAsync();
        return (fixture.GrainFactory.GetGrain<IBroadcasterGrain>(user.Id), fixture.GrainFactory.GetGrain<IChannelGrain>(user.Id));
    }
}
