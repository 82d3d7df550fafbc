using System.Collections.Concurrent;

namespace WgStream.Api.Realtime;

/// <summary>
/// Delivers each item to every member on all cores while keeping each member's items in order.
/// Members are split into one lane per core by key; a lane hands its members the items one after
/// another on the thread pool, so a member always sees them in the order they were published,
/// and a room of ten thousand connections is swept by every core instead of one. After a lane has
/// handed an item to all its members it reports how many took it, once per item per lane, so
/// counting deliveries costs a few counter updates per item rather than one per member.
/// </summary>
public sealed class ParallelFanout<TKey, TMember, TItem>
    where TKey : notnull
{
    private readonly Lane[] lanes;
    private readonly IEqualityComparer<TKey> comparer;

    /// <param name="deliver">Hands one item to one member, true when the member took it; must not block (it runs on a lane's work item).</param>
    /// <param name="failed">Told when <paramref name="deliver"/> throws; the other members still get the item.</param>
    /// <param name="swept">Told, once per item per lane, how many of the lane's members took the item (when any did).</param>
    public ParallelFanout(Func<TMember, TItem, bool> deliver, Action<Exception> failed, Action<TItem, int> swept, IEqualityComparer<TKey>? comparer = null)
    {
        this.comparer = comparer ?? EqualityComparer<TKey>.Default;
        lanes = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Lane(deliver, failed, swept, this.comparer)).ToArray();
    }

    public int Count => lanes.Sum(l => l.Members.Count);

    public bool TryAdd(TKey key, TMember member) => LaneOf(key).Members.TryAdd(key, member);

    public bool Remove(TKey key) => LaneOf(key).Members.Remove(key) >= 0;

    public void Publish(TItem item)
    {
        foreach (var lane in lanes)
        {
            lane.Publish(item);
        }
    }

    private Lane LaneOf(TKey key) => lanes[(int)((uint)comparer.GetHashCode(key) % (uint)lanes.Length)];

    private sealed class Lane(Func<TMember, TItem, bool> deliver, Action<Exception> failed, Action<TItem, int> swept, IEqualityComparer<TKey> comparer)
    {
        private readonly ConcurrentQueue<TItem> items = new();
        private int running;

        public MemberSet<TKey, TMember> Members { get; } = new(comparer);

        public void Publish(TItem item)
        {
            items.Enqueue(item);
            if (Interlocked.CompareExchange(ref running, 1, 0) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static lane => lane.Run(), this, preferLocal: false);
            }
        }

        private void Run()
        {
            while (true)
            {
                while (items.TryDequeue(out var item))
                {
                    var took = 0;
                    foreach (var member in Members.Snapshot())
                    {
                        try
                        {
                            if (deliver(member, item))
                            {
                                took++;
                            }
                        }
                        catch (Exception e)
                        {
                            // One member's failure must not stop the lane, which would strand its share of the room.
                            failed(e);
                        }
                    }

                    if (took > 0)
                    {
                        Report(item, took);
                    }
                }

                // Give up the lane, then look again: an item published meanwhile must not be stranded.
                Volatile.Write(ref running, 0);
                if (items.IsEmpty || Interlocked.CompareExchange(ref running, 1, 0) != 0)
                {
                    return;
                }
            }
        }

        private void Report(TItem item, int took)
        {
            try
            {
                swept(item, took);
            }
            catch (Exception e)
            {
                failed(e);
            }
        }
    }
}
