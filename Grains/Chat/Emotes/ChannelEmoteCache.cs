using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// This silo's copy of the channel emotes chat has met, by prefix, so that parsing a message asks
/// nobody for codes already seen: a known prefix is a dictionary lookup, and one that belongs to no
/// channel is remembered as such (one lookup per silo, not one per message). A miss asks the prefix
/// index and then the channel's grain, once however many rooms ask at the same moment. Entries are
/// dropped when the <c>emotes</c> stream announces a change (<see cref="EmoteWatcher"/>), and in any
/// case after <see cref="EmoteOptions.CacheTime"/>. A lookup that fails is not remembered: the code
/// stays text in that message and the next one asks again.
/// </summary>
public sealed partial class ChannelEmoteCache(IGrainFactory grains, IOptions<EmoteOptions> options, TimeProvider clock, ILogger<ChannelEmoteCache> logger)
{
    /// <summary>Past this many prefixes the cache starts over, so junk codes cannot grow it without bound.</summary>
    internal const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private long fetches;

    /// <summary>Lookups that went to the grains (misses), since the silo started: what tests and metrics watch.</summary>
    public long Fetches => Interlocked.Read(ref fetches);

    /// <summary>The channel holding <paramref name="prefix"/> with its emotes, or null when none does (or it could not be found out now).</summary>
    public ValueTask<ChannelEmoteLookup?> GetAsync(string prefix)
    {
        var now = clock.GetTimestamp();
        if (entries.TryGetValue(prefix, out var entry) && entry.Task.IsCompletedSuccessfully && entry.IsFresh(clock, now, options.Value.CacheTime))
        {
            return new ValueTask<ChannelEmoteLookup?>(entry.Task.Result);
        }

        return new ValueTask<ChannelEmoteLookup?>(LoadAsync(prefix, now));
    }

    /// <summary>Forgets a prefix (a change was announced): the next message using it asks again.</summary>
    public void Invalidate(string prefix) => entries.TryRemove(prefix, out _);

    private async Task<ChannelEmoteLookup?> LoadAsync(string prefix, long now)
    {
        if (entries.Count >= MaxEntries)
        {
            entries.Clear();
        }

        // Concurrent misses share one entry, so one of them asks and the others wait for its answer.
        var created = new Entry(now, () => FetchAsync(prefix));
        var entry = entries.AddOrUpdate(
            prefix,
            created,
            (_, existing) => !existing.Task.IsFaulted && (!existing.Task.IsCompleted || existing.IsFresh(clock, now, options.Value.CacheTime)) ? existing : created);
        try
        {
            return await entry.Task;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            entries.TryRemove(new KeyValuePair<string, Entry>(prefix, entry));
            LogLookupFailed(e, prefix);
            return null;
        }
    }

    private async Task<ChannelEmoteLookup?> FetchAsync(string prefix)
    {
        Interlocked.Increment(ref fetches);
        if (await grains.GetGrain<IEmotePrefixIndexGrain>(0).FindAsync(prefix) is not { } channelId)
        {
            return null;
        }

        var set = await grains.GetGrain<IChannelEmotesGrain>(channelId).GetAsync();

        // The index may be a moment ahead of or behind the channel; the channel's own word decides.
        return set.Prefix == prefix ? new ChannelEmoteLookup(set) : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not look up the emotes of prefix {Prefix}; its codes stay text for now")]
    private partial void LogLookupFailed(Exception exception, string prefix);

    private sealed class Entry(long loadedAt, Func<Task<ChannelEmoteLookup?>> fetch)
    {
        private readonly Lazy<Task<ChannelEmoteLookup?>> load = new(fetch, LazyThreadSafetyMode.ExecutionAndPublication);

        public Task<ChannelEmoteLookup?> Task => load.Value;

        public bool IsFresh(TimeProvider clock, long now, TimeSpan cacheTime) => clock.GetElapsedTime(loadedAt, now) < cacheTime;
    }
}
