using System.Collections.Frozen;

namespace WgStream.Grains.Accounts;

/// <summary>
/// This silo's copy of the accounts banned from the site, so a chat room refuses their messages
/// with a set lookup: no database read and no grain call per message. Filled from PostgreSQL at
/// start and on every sweep (<see cref="SiteBanWatcher"/>), and kept current between sweeps by the
/// <c>site-bans</c> stream, on which every ban and unban is published once it is durable.
/// </summary>
public sealed class SiteBannedUsers(TimeProvider clock)
{
    /// <summary>Changes newer than this are laid over a reload that may have started before them.</summary>
    private static readonly TimeSpan ChangeMemory = TimeSpan.FromMinutes(5);

    private readonly Lock gate = new();
    private readonly Dictionary<Guid, (bool Banned, long At)> recent = [];
    private FrozenSet<Guid> banned = FrozenSet<Guid>.Empty;

    public bool IsBanned(Guid userId) => Volatile.Read(ref banned).Contains(userId);

    /// <summary>One ban or unban, as the stream (or the grain that made it, on its own silo) reports it.</summary>
    public void Set(Guid userId, bool isBanned)
    {
        lock (gate)
        {
            recent[userId] = (isBanned, clock.GetTimestamp());
            Apply(banned.ToHashSet(), userId, isBanned);
        }
    }

    /// <summary>The timestamp to pass to <see cref="Replace"/>: take it before reading the table.</summary>
    public long ReadStarted() => clock.GetTimestamp();

    /// <summary>
    /// The set as read from the table, with every change reported since <paramref name="readStarted"/>
    /// laid over it: a ban published while the read ran must not be lost until the next sweep.
    /// </summary>
    public void Replace(IEnumerable<Guid> inForce, long readStarted)
    {
        lock (gate)
        {
            var set = inForce.ToHashSet();
            var now = clock.GetTimestamp();
            foreach (var (userId, change) in recent.ToList())
            {
                if (clock.GetElapsedTime(change.At, now) > ChangeMemory)
                {
                    recent.Remove(userId);
                }
                else if (change.At >= readStarted)
                {
                    if (change.Banned)
                    {
                        set.Add(userId);
                    }
                    else
                    {
                        set.Remove(userId);
                    }
                }
            }

            Volatile.Write(ref banned, set.ToFrozenSet());
        }
    }

    private void Apply(HashSet<Guid> set, Guid userId, bool isBanned)
    {
        if (isBanned ? set.Add(userId) : set.Remove(userId))
        {
            Volatile.Write(ref banned, set.ToFrozenSet());
        }
    }
}
