using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

/// <summary>
/// Raids: a live broadcaster sends its viewers to another live channel. The raider's viewers learn
/// of it on the raider's status stream (their pages go to the target); the target's chat announces
/// it. The target decides whom it takes raids from (<see cref="RaidPolicy"/>, and its block list).
/// </summary>
public sealed partial class BroadcasterGrain
{
    public async Task<Raid> RaidAsync(Guid targetChannelId)
    {
        if (targetChannelId == ChannelId)
        {
            throw WgException.BadInput("You cannot raid your own channel.", "username");
        }

        if (!IsLive)
        {
            throw new WgException(ErrorCodes.Conflict, "Go live first: a raid takes your viewers along.", "live");
        }

        var now = clock.GetUtcNow();
        if (State.LastRaidAt is { } last && now - last < Options.RaidCooldown)
        {
            throw WgException.RateLimited("You raided a moment ago; wait a little before the next raid.", last + Options.RaidCooldown);
        }

        var target = await GrainFactory.GetGrain<IChannelGrain>(targetChannelId).GetAsync() ?? throw WgException.NotFound("No such channel.");
        await GrainFactory.GetGrain<IBroadcasterGrain>(targetChannelId).EnsureAcceptsRaidAsync(ChannelId);
        var me = await Channel.GetAsync() ?? throw WgException.NotFound("No such channel.");
        var raid = new Raid(ChannelId, me.Username, me.DisplayName, targetChannelId, target.Username, LiveViewers, now);
        State.LastRaidAt = now;
        await broadcaster.WriteStateAsync();

        // The target's chat first: by the time the raiders arrive, the notice is there.
        await GrainFactory.GetGrain<IChatRoomGrain>(targetChannelId).AnnounceRaidAsync(raid);
        var info = await GetLiveAsync();
        await this.GetStreamProvider(StreamNames.Provider)
            .GetStream<StreamStatusChanged>(StreamId.Create(StreamNames.StreamStatus, ChannelId))
            .OnNextAsync(new StreamStatusChanged(ChannelId, StreamStatusKind.Raided, State.LiveStreamId!.Value, info?.Title ?? me.DisplayName, info?.CategorySlug, LiveViewers, null, now, raid));
        return raid;
    }

    public async Task EnsureAcceptsRaidAsync(Guid raiderChannelId)
    {
        if (!IsLive)
        {
            throw WgException.NotFound("That channel is not live; raid a channel that is.");
        }

        switch (State.RaidPolicy)
        {
            case RaidPolicy.Nobody:
                throw WgException.Forbidden("That channel does not accept raids.");
            case RaidPolicy.FollowedOnly when !await GrainFactory.GetGrain<IChannelGrain>(raiderChannelId).IsFollowedByAsync(ChannelId):
                throw WgException.Forbidden("That channel accepts raids only from channels it follows.");
        }

        if (await GrainFactory.GetGrain<IUserBlocksGrain>(ChannelId).HasBlockedAsync(raiderChannelId))
        {
            // Said as a policy, not as a block: a block is never told.
            throw WgException.Forbidden("That channel does not accept raids from you.");
        }
    }

    public Task<RaidPolicy> GetRaidPolicyAsync() => Task.FromResult(State.RaidPolicy);

    public async Task<RaidPolicy> SetRaidPolicyAsync(RaidPolicy policy)
    {
        if (!Enum.IsDefined(policy))
        {
            throw WgException.BadInput("Raids come from everyone, followed channels only, or nobody.", "policy");
        }

        if (State.RaidPolicy != policy)
        {
            State.RaidPolicy = policy;
            await broadcaster.WriteStateAsync();
        }

        return policy;
    }
}
