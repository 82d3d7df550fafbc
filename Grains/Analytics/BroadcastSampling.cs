using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Analytics;

/// <summary>
/// Makes the <see cref="BroadcastSampler"/> of a live broadcast for its stream grain: at the go-live,
/// or when the grain is activated again while the broadcast is live (its silo stopped, say). A
/// reactivated sampler starts its span at the reactivation: the span that was running is lost
/// (at most one sample), and the counts the owners kept meanwhile go into the next one.
/// </summary>
public sealed class BroadcastSampling(
    IGrainFactory grains,
    AnalyticsWriter writer,
    IOptions<AnalyticsOptions> options,
    TimeProvider clock,
    ILogger<BroadcastSampler> logger)
{
    /// <summary>A new broadcast: null when analytics is off.</summary>
    public async Task<BroadcastSampler?> StartAsync(IGrainBase grain, StreamInfo broadcast)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var sampler = new BroadcastSampler(grains, writer, options.Value, clock, logger, broadcast, broadcast.StartedAt, viewers: 0);
        await sampler.ResetOwnersAsync();
        sampler.StartTimer(grain);
        return sampler;
    }

    /// <summary>A live broadcast's grain activated again: sampling goes on from now; the viewer count is unknown until the broadcaster re-sends it.</summary>
    public BroadcastSampler? Resume(IGrainBase grain, StreamInfo broadcast)
    {
        if (!options.Value.Enabled)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var sampler = new BroadcastSampler(grains, writer, options.Value, clock, logger, broadcast, now > broadcast.StartedAt ? now : broadcast.StartedAt, viewers: null);
        sampler.StartTimer(grain);
        return sampler;
    }
}
