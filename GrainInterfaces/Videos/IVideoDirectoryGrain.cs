using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Videos;

/// <summary>Queries over videos, answered from PostgreSQL. A stateless worker: use key 0.</summary>
public interface IVideoDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>A channel's ready videos, newest first; cursors are opaque, a malformed one is BAD_USER_INPUT.</summary>
    [ReadOnly]
    Task<Page<VideoInfo>> ChannelVideosAsync(Guid channelId, int first, string? after);
}
