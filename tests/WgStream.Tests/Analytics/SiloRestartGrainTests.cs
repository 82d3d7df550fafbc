using Orleans.Runtime;
using Orleans.TestingHost;
using WgStream.GrainInterfaces.Streams;
using Xunit.Abstractions;
using static WgStream.Tests.Analytics.AnalyticsTestKit;

namespace WgStream.Tests.Analytics;

/// <summary>
/// The silo holding a live broadcast's stream grain is killed. The grain comes back on the other
/// silo with the next viewer count the broadcaster sends it (here an Api node's report, every half
/// second, as Api nodes renew their counts), and sampling goes on: the span that was running is
/// lost, nothing more.
/// </summary>
[Collection(AnalyticsTwoSiloCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class SiloRestartGrainTests(AnalyticsTwoSiloFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = AnalyticsClusterFixture.Interval;

    [Fact]
    public async Task Killing_the_silo_of_a_live_broadcast_loses_at_most_one_sample()
    {
        var owner = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(owner.Id);
        var management = fixture.GrainFactory.GetGrain<IManagementGrain>(0);
        var secondary = fixture.Cluster.SecondarySilos[0];

        // An Api node: reports its three viewers every half second (a renewal the broadcaster passes on).
        using var stop = new CancellationTokenSource();
        var sequence = 0L;
        var node = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await broadcaster.ReportViewersAsync(new ViewerReport("node-a", 3, Interlocked.Increment(ref sequence), TimeSpan.FromSeconds(10)));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The broadcaster's silo may be the dead one until membership says so.
                }

                await Task.Delay(500);
            }
        });

        // Killing the primary would take the test cluster's membership with it: the broadcast
        // whose stream grain the secondary holds is the one to test.
        IngestConnection connection = null!;
        Guid streamId = default;
        for (var attempt = 1; ; attempt++)
        {
            connection = LiveKit();
            streamId = await broadcaster.GoLiveAsync(connection);
            var address = await management.GetActivationAddress(fixture.GrainFactory.GetGrain<IStreamGrain>(streamId));
            if (address == secondary.SiloAddress)
            {
                break;
            }

            await broadcaster.PublishDoneAsync(connection);
            Assert.True(attempt < 30, "No stream grain was ever placed on the secondary silo.");
        }

        var before = await fixture.SamplesAtLeastAsync(streamId, 2);
        await fixture.Cluster.KillSiloAsync(secondary);
        var killedAt = DateTimeOffset.UtcNow;
        output.WriteLine($"killed {secondary.SiloAddress} at {killedAt:O}; {before.Count} samples before");

        // Three more intervals after the other silo has taken over.
        await fixture.SamplesAtLeastAsync(streamId, before.Count + 3, TimeSpan.FromSeconds(90));
        await EndAsync(broadcaster, connection);
        await stop.CancelAsync();
        await node;
        var summary = await fixture.FinalSummaryAsync(streamId);
        var samples = await fixture.SamplesAsync(streamId);
        foreach (var s in samples)
        {
            output.WriteLine($"{s.At:HH:mm:ss.fff} +{s.DurationMs} ms viewers {s.Viewers} viewer-ms {s.ViewerMs}");
        }

        // Every grid slot of the broadcast has a sample starting in it, but for at most one.
        var firstSlot = Grid(summary.StartedAt) + Interval;
        var lastSlot = Grid(summary.EndedAt!.Value) - Interval;
        var missing = new List<DateTimeOffset>();
        for (var slot = firstSlot; slot <= lastSlot; slot += Interval)
        {
            if (!samples.Any(s => s.At >= slot && s.At < slot + Interval))
            {
                missing.Add(slot);
            }
        }

        output.WriteLine($"slots without a sample: {string.Join(", ", missing.Select(m => m.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.True(missing.Count <= 1, $"{missing.Count} samples lost");
        // Spans never overlap, and the time not covered is the killed span's and the takeover's (seconds): under two intervals.
        for (var i = 1; i < samples.Count; i++)
        {
            Assert.True(samples[i].At >= samples[i - 1].End.AddMilliseconds(-1), "spans overlap");
        }

        var uncovered = summary.Duration - summary.Sampled;
        Assert.True(uncovered < Interval * 2, $"{uncovered} of the broadcast has no sample");
        // Viewers are counted again after the takeover.
        Assert.Contains(samples, s => s.At > killedAt && s.ViewerMs == 3L * s.DurationMs);
    }

    private static DateTimeOffset Grid(DateTimeOffset at) =>
        DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds() / (long)Interval.TotalMilliseconds * (long)Interval.TotalMilliseconds);

    private static async Task EndAsync(IBroadcasterGrain broadcaster, IngestConnection connection)
    {
        await DriftTestKit.EventuallyAsync(async () =>
        {
            try
            {
                await broadcaster.PublishDoneAsync(connection);
                return await broadcaster.GetLiveAsync() is null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return false;
            }
        }, "The broadcast could not be ended.");
    }
}
