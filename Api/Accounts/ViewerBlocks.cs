using System.Collections.Concurrent;
using System.Collections.Frozen;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Accounts;

/// <summary>
/// The block lists of the signed-in users this Api node carries live chat for, so the fan-out can
/// skip a blocked author's messages per connection with one set lookup and no grain call. A list is
/// loaded from the user's <see cref="IUserBlocksGrain"/> when their first connection needs it and
/// dropped with their last; changes arrive on the cluster-wide <see cref="StreamNames.UserBlocks"/>
/// stream, which the node subscribes to once. Anonymous viewers (most of a big room) cost nothing.
/// </summary>
public sealed partial class ViewerBlocks(IClusterClient cluster, ILogger<ViewerBlocks> logger) : IHostedService
{
    private readonly ConcurrentDictionary<Guid, Entry> entries = new();
    private StreamSubscriptionHandle<UserBlocksChanged>? handle;

    /// <summary>Users whose lists this node holds.</summary>
    public int Count => entries.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stream = cluster.GetStreamProvider(StreamNames.Provider)
            .GetStream<UserBlocksChanged>(StreamId.Create(StreamNames.UserBlocks, StreamNames.UserBlocksKey));
        handle = await stream.SubscribeAsync((changed, _) =>
        {
            if (entries.TryGetValue(changed.UserId, out var entry))
            {
                entry.Apply(changed.Blocked);
            }

            return Task.CompletedTask;
        });
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (handle is not null)
        {
            try
            {
                await handle.UnsubscribeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The cluster may already be shutting down; the subscription dies with it.
                LogUnsubscribeFailed(e);
            }
        }
    }

    /// <summary>
    /// The user's block list, kept current until the lease is disposed. Changes published after this
    /// returns reach the lease; the list read here covers those before.
    /// </summary>
    public async Task<BlockListLease> AcquireAsync(Guid userId)
    {
        while (true)
        {
            var entry = entries.GetOrAdd(userId, static _ => new Entry());
            if (!entry.TryRetain())
            {
                // Lost a race with the last lease leaving: that entry is gone, make a new one.
                entries.TryRemove(new KeyValuePair<Guid, Entry>(userId, entry));
                continue;
            }

            try
            {
                await entry.LoadAsync(() => cluster.GetGrain<IUserBlocksGrain>(userId).GetBlockedIdsAsync());
                return new BlockListLease(this, userId, entry);
            }
            catch
            {
                Release(userId, entry);
                throw;
            }
        }
    }

    /// <summary>The user's block list as it is now, for a one-off read (a history page): from memory when this node holds it.</summary>
    public async Task<IReadOnlySet<Guid>> CurrentAsync(Guid userId) =>
        entries.TryGetValue(userId, out var entry) && entry.Blocked is { } held
            ? held
            : (await cluster.GetGrain<IUserBlocksGrain>(userId).GetBlockedIdsAsync()).ToFrozenSet();

    private void Release(Guid userId, Entry entry)
    {
        if (entry.Release())
        {
            entries.TryRemove(new KeyValuePair<Guid, Entry>(userId, entry));
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not unsubscribe from user block changes")]
    private partial void LogUnsubscribeFailed(Exception exception);

    /// <summary>One user's list on this node and how many leases hold it.</summary>
    internal sealed class Entry
    {
        private readonly Lock gate = new();
        private int leases;
        private bool closed;
        private bool changedSinceLoad;
        private Task? loading;
        private volatile FrozenSet<Guid>? blocked;

        /// <summary>Null until loaded.</summary>
        public FrozenSet<Guid>? Blocked => blocked;

        public bool TryRetain()
        {
            lock (gate)
            {
                if (closed)
                {
                    return false;
                }

                leases++;
                return true;
            }
        }

        /// <summary>True when that was the last lease: the entry is closed for good.</summary>
        public bool Release()
        {
            lock (gate)
            {
                if (--leases > 0)
                {
                    return false;
                }

                closed = true;
                return true;
            }
        }

        /// <summary>Loads the list once, however many leases wait for it; a failed load is tried again by the next.</summary>
        public Task LoadAsync(Func<Task<IReadOnlyList<Guid>>> read)
        {
            lock (gate)
            {
                if (loading is null || loading.IsFaulted || loading.IsCanceled)
                {
                    loading = LoadOnceAsync(read);
                }

                return loading;
            }
        }

        private async Task LoadOnceAsync(Func<Task<IReadOnlyList<Guid>>> read)
        {
            var ids = await read();
            lock (gate)
            {
                // A change that arrived while the read was under way carries the whole list as it was
                // at that change, at least as new as what the read saw, so it wins; any later change
                // arrives after it, in order.
                if (!changedSinceLoad)
                {
                    blocked = ids.ToFrozenSet();
                }
            }
        }

        public void Apply(IReadOnlyList<Guid> ids)
        {
            var set = ids.ToFrozenSet();
            lock (gate)
            {
                changedSinceLoad = true;
                blocked = set;
            }
        }
    }

    /// <summary>A hold on one user's block list on this node; dispose it when their connection ends.</summary>
    public sealed class BlockListLease : IDisposable
    {
        private readonly ViewerBlocks owner;
        private readonly Guid userId;
        private readonly Entry entry;
        private int disposed;

        internal BlockListLease(ViewerBlocks owner, Guid userId, Entry entry)
        {
            this.owner = owner;
            this.userId = userId;
            this.entry = entry;
        }

        /// <summary>Whether an event by <paramref name="authorId"/> is to be kept from this user.</summary>
        public bool Hides(Guid? authorId) =>
            authorId is { } author && entry.Blocked is { Count: > 0 } set && set.Contains(author);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                owner.Release(userId, entry);
            }
        }
    }
}
