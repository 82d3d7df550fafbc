using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Chat;

/// <summary>Reads channels' moderation logs from PostgreSQL. A stateless worker: use key 0.</summary>
public interface IModerationLogGrain : IGrainWithIntegerKey
{
    /// <summary>Newest first; only the channel's broadcaster and moderators may read it (anyone else: FORBIDDEN).</summary>
    [ReadOnly]
    Task<Page<ModerationEntry>> ReadAsync(Guid actorId, Guid channelId, int first, string? after);
}
