namespace WgStream.Api.Realtime;

/// <summary>
/// The members of one fan-out (a room's connections, a shared subscription's sockets): adding or
/// removing one is O(1), and delivery iterates an array snapshot without a lock. The snapshot is
/// rebuilt at most once per change, on the next delivery, so ten thousand viewers joining cost
/// O(N) in all instead of the O(N²) of copying an array on every join.
/// </summary>
public sealed class MemberSet<TKey, TMember>
    where TKey : notnull
{
    private readonly Lock gate = new();
    private readonly Dictionary<TKey, TMember> members;
    private TMember[]? snapshot = [];

    public MemberSet(IEqualityComparer<TKey>? comparer = null) => members = new Dictionary<TKey, TMember>(comparer);

    public int Count
    {
        get
        {
            lock (gate)
            {
                return members.Count;
            }
        }
    }

    /// <summary>False if a member with this key is already in.</summary>
    public bool TryAdd(TKey key, TMember member)
    {
        lock (gate)
        {
            if (!members.TryAdd(key, member))
            {
                return false;
            }

            snapshot = null;
            return true;
        }
    }

    /// <summary>Removes the member; returns how many are left, or -1 if it was not in.</summary>
    public int Remove(TKey key)
    {
        lock (gate)
        {
            if (!members.Remove(key))
            {
                return -1;
            }

            snapshot = null;
            return members.Count;
        }
    }

    /// <summary>Everyone, and no one from now on.</summary>
    public TMember[] Clear()
    {
        lock (gate)
        {
            var all = members.Values.ToArray();
            members.Clear();
            snapshot = [];
            return all;
        }
    }

    /// <summary>The members at this moment, to iterate without holding anything.</summary>
    public TMember[] Snapshot()
    {
        var current = Volatile.Read(ref snapshot);
        if (current is not null)
        {
            return current;
        }

        lock (gate)
        {
            return snapshot ??= [.. members.Values];
        }
    }
}
