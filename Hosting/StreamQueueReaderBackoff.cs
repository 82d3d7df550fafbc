using Orleans.Runtime.Providers;

namespace WgStream.Hosting;

/// <summary>
/// How long a stream's pulling agent waits after a failed read of its queue: 100 ms, doubling, at
/// most 2 s. Orleans' default waits 10–20 s. A read fails when the queue's grain was on a silo that
/// has just died, and with that wait live chat on the rooms of that queue stayed silent for about
/// 12 s after a silo loss, while sends were already accepted again after 2–3 s (bench failover,
/// issue 15). The queues are grains in memory, so an early retry costs one failed call.
/// </summary>
public sealed class StreamQueueReaderBackoff : IQueueReaderBackoffProvider
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Longest = TimeSpan.FromSeconds(2);

    public TimeSpan Next(int attempt) => TimeSpan.FromTicks(Math.Min(Longest.Ticks, First.Ticks << Math.Clamp(attempt, 0, 5)));
}
