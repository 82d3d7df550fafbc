using System.Diagnostics;

namespace WgStream.Bench;

/// <summary>Runs an operation from C concurrent workers for a fixed time; reports throughput and latency percentiles.</summary>
public static class Measurement
{
    public static async Task<Result> RunAsync(string name, int concurrency, TimeSpan duration, Func<int, Task> operation)
    {
        // Warm-up: activations, connection pools, JIT.
        var warmUntil = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * 1.0);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var i = w;
            while (Stopwatch.GetTimestamp() < warmUntil)
            {
                await operation(i);
                i += concurrency;
            }
        }));

        var latencies = new List<double>[concurrency];
        var until = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * duration.TotalSeconds);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            var i = w;
            while (Stopwatch.GetTimestamp() < until)
            {
                var t0 = Stopwatch.GetTimestamp();
                await operation(i);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                i += concurrency;
            }
        }));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var result = new Result(name, all.Length, all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99));
        Console.WriteLine($"{result.Name,-44} {result.Operations,10:N0} ops  {result.PerSecond,10:N0} ops/s  p50 {result.P50Ms,7:F3} ms  p99 {result.P99Ms,7:F3} ms");
        return result;
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    public sealed record Result(string Name, int Operations, double PerSecond, double P50Ms, double P99Ms);
}
