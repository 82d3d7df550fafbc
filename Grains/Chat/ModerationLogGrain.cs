using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

[StatelessWorker]
public sealed class ModerationLogGrain(ModerationLogStore store) : Grain, IModerationLogGrain
{
    public async Task<Page<ModerationEntry>> ReadAsync(Guid actorId, Guid channelId, int first, string? after)
    {
        // The room owns who moderates it.
        var standing = await GrainFactory.GetGrain<IChatRoomGrain>(channelId).GetStandingAsync(actorId);
        if (!standing.IsBroadcaster && !standing.IsModerator)
        {
            throw WgException.Forbidden("Only the broadcaster and moderators can read the moderation log.");
        }

        return await store.ReadAsync(channelId, first, after);
    }
}
