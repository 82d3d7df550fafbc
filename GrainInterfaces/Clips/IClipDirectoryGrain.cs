using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Clips;

/// <summary>Queries over clips, answered from PostgreSQL. A stateless worker: use key 0.</summary>
public interface IClipDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>A channel's ready clips in <paramref name="order"/>; cursors are opaque, a malformed one (or one of another order) is BAD_USER_INPUT.</summary>
    [ReadOnly]
    Task<Page<ClipInfo>> ChannelClipsAsync(Guid channelId, ClipOrder order, int first, string? after);

    /// <summary>Removes every clip of a channel with its files (the deletion of its account); returns how many.</summary>
    Task<int> RemoveChannelClipsAsync(Guid channelId);
}
