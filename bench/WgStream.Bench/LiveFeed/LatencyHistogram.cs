using System.Diagnostics;
using System.Numerics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Send→receive latencies of every delivery, in log-linear microsecond buckets (within 1.6%),
/// one bucket array per receiving thread so recording is an unshared increment. Merged after the run.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int Exact = 2 * SubBuckets;
    private const int MaxBit = 40;
    private const int Buckets = Exact + ((MaxBit - 6) * SubBuckets);
    private static readonly double MicrosecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;
    private readonly ThreadLocal<Counts> perThread = new(() => new Counts(), trackAllValues: true);

    public void Record(long elapsedTicks)
    {
        var counts = perThread.Value!;
        var microseconds = Math.Max(0, (long)(elapsedTicks * MicrosecondsPerTick));
        counts.Buckets[Index(microseconds)]++;
        if (microseconds > counts.Max)
        {
            counts.Max = microseconds;
        }
    }

    /// <summary>Merges every thread's counts: call once the receivers have stopped counting.</summary>
    public Summary Summarise()
    {
        var merged = new long[Buckets];
        long max = 0;
        foreach (var counts in perThread.Values)
        {
            for (var i = 0; i < Buckets; i++)
            {
                merged[i] += counts.Buckets[i];
            }

            max = Math.Max(max, counts.Max);
        }

        var total = merged.Sum();
        double Percentile(double p)
        {
            if (total == 0)
            {
                return 0;
            }

            var rank = (long)Math.Ceiling(p * total);
            long seen = 0;
            for (var i = 0; i < Buckets; i++)
            {
                seen += merged[i];
                if (seen >= rank)
                {
                    return Math.Min(Middle(i), max) / 1000.0;
                }
            }

            return max / 1000.0;
        }

        return new Summary(total, Percentile(0.50), Percentile(0.99), max / 1000.0);
    }

    private static int Index(long microseconds)
    {
        if (microseconds < Exact)
        {
            return (int)microseconds;
        }

        var bit = Math.Min(63 - BitOperations.LeadingZeroCount((ulong)microseconds), MaxBit - 1);
        var top = (int)(microseconds >> (bit - 6)) & (SubBuckets - 1);
        return Math.Min(Exact + ((bit - 7) * SubBuckets) + top, Buckets - 1);
    }

    private static double Middle(int index)
    {
        if (index < Exact)
        {
            return index;
        }

        var bit = 7 + ((index - Exact) / SubBuckets);
        var low = (long)(SubBuckets + ((index - Exact) % SubBuckets)) << (bit - 6);
        return low + ((1L << (bit - 6)) / 2.0);
    }

    public sealed record Summary(long Count, double P50Ms, double P99Ms, double MaxMs);

    private sealed class Counts
    {
        public long[] Buckets { get; } = new long[LatencyHistogram.Buckets];

        public long Max { get; set; }
    }
}
