using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Videos;

/// <summary>
/// A past broadcast's chat, read from the room's stored messages. A stateless worker: use key 0.
/// Deleted messages (by a moderator, or swept by a timeout or ban) and the messages of users banned
/// from the room now are left out.
/// </summary>
public interface IChatReplayGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Up to <paramref name="first"/> (1–100) messages of the video's broadcast from <paramref name="from"/>
    /// into the recording, in the order they were sent; <paramref name="after"/> (a cursor from an earlier
    /// page) continues instead. NOT_FOUND for a video that is not ready.
    /// </summary>
    [ReadOnly]
    Task<ChatReplayPage> ReplayAsync(Guid videoId, TimeSpan from, string? after, int first);
}
