using Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Analytics;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Analytics.AnalyticsTestKit;

namespace WgStream.Tests.Analytics;

/// <summary>
/// A live broadcast is sampled every interval from the grains that own each fact (docs/analytics.md):
/// a sample for every span, aligned to the grid, with the viewers integrated over it and the chat
/// and follows of that span; the summary at the end adds them up exactly.
/// </summary>
[Collection(AnalyticsClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SamplingGrainTests(AnalyticsClusterFixture fixture)
{
    private static readonly TimeSpan Interval = AnalyticsClusterFixture.Interval;

    [Fact]
    public async Task A_span_with_no_viewers_is_recorded_with_zero_viewers_on_the_grid()
    {
        var owner = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);
        var connection = LiveKit();
        var streamId = await broadcaster.GoLiveAsync(connection);

        var samples = await fixture.SamplesAtLeastAsync(streamId, 2);
        await broadcaster.PublishDoneAsync(connection);
        var summary = await fixture.FinalSummaryAsync(streamId);
        samples = await fixture.SamplesAsync(streamId);

        // Nobody watched: every span is there all the same, with zero viewers, not left out.
        Assert.All(samples, s => Assert.Equal((0, 0, 0L), (s.Viewers, s.PeakViewers, s.ViewerMs)));
        AssertTiles(samples, summary.StartedAt, summary.EndedAt!.Value);
        // Between the first and the last (partial) spans, each is one interval on the grid.
        Assert.All(samples.Skip(1).SkipLast(1), s =>
        {
            Assert.Equal((int)Interval.TotalMilliseconds, s.DurationMs);
            Assert.Equal(0, s.At.ToUnixTimeMilliseconds() % (long)Interval.TotalMilliseconds);
        });
        // LiveKit sends no heartbeats: no ingest age to record.
        Assert.All(samples, s => Assert.Null(s.HeartbeatAgeMs));

        Assert.Equal(0, summary.PeakViewers);
        Assert.Equal(0, summary.AverageViewers);
        Assert.Equal(0, summary.MinutesWatched);
        Assert.Equal(samples.Count, summary.Samples);
        Assert.Equal((summary.EndedAt.Value - summary.StartedAt).TotalSeconds, summary.Duration.TotalSeconds, 3);
        Assert.Equal(summary.Duration.TotalSeconds, summary.Sampled.TotalSeconds, 1);
    }

    [Fact]
    public async Task Viewers_chat_and_follows_are_counted_in_their_spans_and_add_up_in_the_summary()
    {
        var owner = await fixture.RegisterAsync();
        var (alice, bob, carol) = (await fixture.RegisterAsync(), await fixture.RegisterAsync(), await fixture.RegisterAsync());
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);
        var room = fixture.GrainFactory.GetGrain<IChatRoomGrain>(owner.Id);
        // Chat before the broadcast is not the broadcast's.
        await room.SendAsync(alice.Id, "before the stream");

        var connection = LiveKit();
        var streamId = await broadcaster.GoLiveAsync(connection);
        await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 4, 1, TimeSpan.FromMinutes(5)));
        await room.SendAsync(alice.Id, "hello");
        await room.SendAsync(bob.Id, "hi");
        await room.SendAsync(alice.Id, "again");
        Assert.True(await fixture.GrainFactory.GetGrain<IChannelGrain>(owner.Id).FollowAsync(carol.Id));
        // Unfollowing and following again within the day is still one new follower.
        await fixture.GrainFactory.GetGrain<IChannelGrain>(owner.Id).UnfollowAsync(carol.Id);
        await fixture.GrainFactory.GetGrain<IChannelGrain>(owner.Id).FollowAsync(carol.Id);

        // Two more spans go by with four viewers throughout.
        var samples = await fixture.SamplesAtLeastAsync(streamId, 3);
        await broadcaster.PublishDoneAsync(connection);
        var summary = await fixture.FinalSummaryAsync(streamId);
        samples = await fixture.SamplesAsync(streamId);

        AssertTiles(samples, summary.StartedAt, summary.EndedAt!.Value);
        Assert.Equal(3, samples.Sum(s => s.ChatMessages));
        Assert.Equal(1, samples.Sum(s => s.Follows));
        Assert.Contains(samples, s => s.Chatters == 2 && s.ChatMessages == 3);
        // A whole span at four viewers integrates to exactly four viewers times its length.
        var whole = samples.Skip(1).SkipLast(1).ToList();
        Assert.NotEmpty(whole);
        Assert.All(whole, s => Assert.Equal((4, 4, 4L * s.DurationMs), (s.Viewers, s.PeakViewers, s.ViewerMs)));

        Assert.Equal(4, summary.PeakViewers);
        Assert.Equal(3, summary.ChatMessages);
        Assert.Equal(2, summary.Chatters);
        Assert.Equal(1, summary.Follows);
        Assert.Equal(0, summary.NewSponsors);
        Assert.Empty(summary.Revenue);
        Assert.Equal(samples.Sum(s => s.ViewerMs) / 60_000.0, summary.MinutesWatched, 6);
        // Four viewers from (nearly) the first millisecond.
        Assert.InRange(summary.AverageViewers, 3.9, 4.0);
    }

    [Fact]
    public async Task A_series_longer_than_asked_for_is_thinned_by_merging_neighbours()
    {
        var owner = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);
        var connection = LiveKit();
        var streamId = await broadcaster.GoLiveAsync(connection);
        await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 2, 1, TimeSpan.FromMinutes(5)));
        await fixture.SamplesAtLeastAsync(streamId, 3);
        await broadcaster.PublishDoneAsync(connection);
        await fixture.FinalSummaryAsync(streamId);

        var reader = fixture.GrainFactory.GetGrain<GrainInterfaces.Analytics.IAnalyticsReaderGrain>(0);
        var full = await reader.SeriesAsync(streamId, 2000);
        var thin = await reader.SeriesAsync(streamId, 2);
        Assert.True(full.Count >= 4);
        Assert.Equal(2, thin.Count);
        Assert.Equal(full[0].At, thin[0].At);
        Assert.Equal(full.Sum(p => p.Duration.Ticks), thin.Sum(p => p.Duration.Ticks));
        Assert.Equal(full.Max(p => p.PeakViewers), thin.Max(p => p.PeakViewers));
        Assert.Equal(
            full.Sum(p => p.AverageViewers * p.Duration.TotalMilliseconds),
            thin.Sum(p => p.AverageViewers * p.Duration.TotalMilliseconds),
            3);
        await GrainTestAccounts.RefusedAsync(() => reader.SeriesAsync(streamId, 0), "BAD_USER_INPUT", "maxPoints");
    }

    [Fact]
    public async Task Maintenance_keeps_the_coming_months_and_drops_those_past_the_retention()
    {
        var services = ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;
        var store = services.GetRequiredService<AnalyticsStore>();
        var now = DateTimeOffset.UtcNow;
        var old = now.AddMonths(-14);
        await store.EnsurePartitionAsync(old);
        Assert.Contains(await store.PartitionsAsync(), p => p.Name == $"broadcast_samples_{old:yyyy_MM}");

        await services.GetRequiredService<AnalyticsMaintenance>().RunOnceAsync(CancellationToken.None);

        var names = (await store.PartitionsAsync()).Select(p => p.Name).ToList();
        Assert.DoesNotContain($"broadcast_samples_{old:yyyy_MM}", names);
        Assert.Contains($"broadcast_samples_{now:yyyy_MM}", names);
        Assert.Contains($"broadcast_samples_{now.AddMonths(1):yyyy_MM}", names);
        // Thirteen months back is still kept (the shipped retention).
        await store.EnsurePartitionAsync(now.AddMonths(-13));
        await services.GetRequiredService<AnalyticsMaintenance>().RunOnceAsync(CancellationToken.None);
        Assert.Contains($"broadcast_samples_{now.AddMonths(-13):yyyy_MM}", (await store.PartitionsAsync()).Select(p => p.Name));
    }
}
