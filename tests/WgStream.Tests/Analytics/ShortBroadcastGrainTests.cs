using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Streams;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Analytics.AnalyticsTestKit;

namespace WgStream.Tests.Analytics;

/// <summary>The shipped one-minute interval: a broadcast that ends before its first grid point still gets its sample and summary.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ShortBroadcastGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_broadcast_shorter_than_a_minute_is_sampled_at_its_end()
    {
        var owner = await fixture.RegisterAsync();
        var fan = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);
        var connection = LiveKit();
        var streamId = await broadcaster.GoLiveAsync(connection);
        await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 1, 1, TimeSpan.FromMinutes(5)));
        var room = fixture.GrainFactory.GetGrain<IChatRoomGrain>(owner.Id);
        await room.SendAsync(fan.Id, "first!");
        await room.SendAsync(fan.Id, "gg");
        await fixture.GrainFactory.GetGrain<IChannelGrain>(owner.Id).FollowAsync(fan.Id);
        await Task.Delay(500);
        await broadcaster.PublishDoneAsync(connection);

        var summary = await fixture.FinalSummaryAsync(streamId);
        var samples = await fixture.SamplesAsync(streamId);

        // One span, or two if a minute began while it was live; either way they cover it exactly.
        Assert.InRange(samples.Count, 1, 2);
        AssertTiles(samples, summary.StartedAt, summary.EndedAt!.Value);
        Assert.True(summary.Duration < TimeSpan.FromMinutes(1));
        Assert.Equal(2, samples.Sum(s => s.ChatMessages));
        Assert.Equal(1, samples.Sum(s => s.Follows));
        Assert.Equal(1, summary.PeakViewers);
        Assert.Equal((2, 1, 1), ((int)summary.ChatMessages, summary.Chatters, summary.Follows));
        // One viewer from the report on (a moment after the go-live) to the end.
        Assert.True(summary.AverageViewers is > 0 and <= 1, $"average {summary.AverageViewers}");
        Assert.Equal(samples.Sum(s => s.ViewerMs) / 60_000.0, summary.MinutesWatched, 6);
    }
}
