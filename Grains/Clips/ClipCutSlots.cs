using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using WgStream.ServiceDefaults;

namespace WgStream.Grains.Clips;

/// <summary>
/// This silo's room for cuts (<see cref="ClipOptions.MaxConcurrentPerNode"/>): each holds a download
/// directory, an ffmpeg and the MP4 in memory while it uploads, so their number is bounded per node,
/// and a request that finds no room within <see cref="ClipOptions.SlotWait"/> is told to come back.
/// </summary>
public sealed class ClipCutSlots : IDisposable
{
    private readonly SemaphoreSlim slots;
    private readonly TimeSpan wait;

    public ClipCutSlots(IOptions<ClipOptions> options, IMeterFactory meters)
    {
        slots = new SemaphoreSlim(options.Value.MaxConcurrentPerNode, options.Value.MaxConcurrentPerNode);
        wait = options.Value.SlotWait;
        var meter = meters.Create(WgMetrics.MeterName);
        Cuts = meter.CreateUpDownCounter<int>("wg.clips.cuts", description: "Clips being cut on this silo.");
        Made = meter.CreateCounter<long>("wg.clips.made", description: "Clips cut, by outcome (ready, failed).");
    }

    public UpDownCounter<int> Cuts { get; }

    public Counter<long> Made { get; }

    /// <summary>A slot, to dispose when the cut ends; null when none freed up in time.</summary>
    public async Task<IDisposable?> TryTakeAsync(CancellationToken cancellationToken = default)
    {
        if (!await slots.WaitAsync(wait, cancellationToken))
        {
            return null;
        }

        Cuts.Add(1);
        return new Slot(this);
    }

    public void Dispose() => slots.Dispose();

    private sealed class Slot(ClipCutSlots owner) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                owner.Cuts.Add(-1);
                owner.slots.Release();
            }
        }
    }
}
