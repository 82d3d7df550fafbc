using System.Diagnostics;

namespace WgStream.Bench.LiveFeed;

/// <summary>
/// Waits until the servers have worked through what they were sent: a subscribe or join is not
/// acknowledged in a way the benchmark can see, but the work it causes shows as server CPU.
/// Settled means two consecutive seconds under a tenth of a core.
/// </summary>
public static class ServerSettle
{
    /// <summary>Returns how long after <paramref name="since"/> the servers went quiet, or null if they had not by <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan?> WaitAsync(LiveFeedServers servers, long since, TimeSpan limit)
    {
        var quietBelow = ServerProcessStats.ClockTicksPerSecond / 10;
        var last = servers.CpuTicks();
        TimeSpan? quietFrom = null;
        var quietSeconds = 0;
        while (Stopwatch.GetElapsedTime(since) < limit)
        {
            var sampled = Stopwatch.GetElapsedTime(since);
            await Task.Delay(1000);
            var now = servers.CpuTicks();
            if (now - last < quietBelow)
            {
                quietFrom ??= sampled;
                if (++quietSeconds == 2)
                {
                    return quietFrom;
                }
            }
            else
            {
                quietFrom = null;
                quietSeconds = 0;
            }

            last = now;
        }

        return null;
    }
}
