using Microsoft.Extensions.Caching.Memory;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Api.Channels;

/// <summary>
/// Answers "does this channel exist?" for live-feed subscriptions and chat joins before anything
/// is activated or subscribed for the id, so a made-up id costs one indexed read and no grain,
/// stream or pub-sub state. Answers are cached on the node: a channel that exists keeps existing
/// for the purpose of watching it (deletion hides and then erases it), while "no such channel" is
/// kept only briefly so a channel registered a moment ago is found. Concurrent questions about one
/// id share one lookup, so ten thousand viewers arriving at once cost one read.
/// </summary>
public sealed class KnownChannels(IClusterClient cluster) : IDisposable
{
    private static readonly TimeSpan KnownFor = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan UnknownFor = TimeSpan.FromSeconds(2);
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>Throws NOT_FOUND for an id that is no channel.</summary>
    public async Task EnsureExistsAsync(Guid channelId)
    {
        if (!await ExistsAsync(channelId))
        {
            throw WgException.NotFound("No such channel.");
        }
    }

    public Task<bool> ExistsAsync(Guid channelId)
    {
        if (cache.TryGetValue(channelId, out Task<bool>? known) && known is not null)
        {
            return known;
        }

        var lookup = LookUpAsync(channelId);
        _ = cache.Set(channelId, lookup, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = UnknownFor });
        return lookup;
    }

    public void Dispose() => cache.Dispose();

    private async Task<bool> LookUpAsync(Guid channelId)
    {
        bool exists;
        try
        {
            exists = await cluster.GetGrain<IChannelDirectoryGrain>(0).ExistsAsync(channelId);
        }
        catch
        {
            // A failed lookup is not an answer: the next caller asks again.
            cache.Remove(channelId);
            throw;
        }

        if (exists)
        {
            _ = cache.Set(channelId, Task.FromResult(true), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = KnownFor });
        }

        return exists;
    }
}
