using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Accounts;

/// <summary>The index of the account's sessions: listing, pruning and revoking them.</summary>
public sealed partial class UserGrain : IUserSessionsGrain
{
    public async Task<IReadOnlyList<SessionInfo>> GetSessionsAsync()
    {
        var live = await PruneEndedSessionsAsync(save: true);
        return live.OrderByDescending(s => s.LastSeenAt).ToList();
    }

    /// <summary>
    /// Expired sessions drop out of the index (read here, or at the next login), and what was
    /// stored about them is erased; the live ones are returned.
    /// </summary>
    private async Task<List<SessionInfo>> PruneEndedSessionsAsync(bool save)
    {
        var infos = await Task.WhenAll(State.SessionIds.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).GetInfoAsync()));
        var live = infos.OfType<SessionInfo>().ToList();
        if (live.Count != State.SessionIds.Count)
        {
            var ended = State.SessionIds.Except(live.Select(s => s.Id)).ToList();
            State.SessionIds = live.Select(s => s.Id).ToList();
            if (save)
            {
                await user.WriteStateAsync();
            }

            await Task.WhenAll(ended.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).EraseAsync()));
        }

        return live;
    }

    public async Task RevokeSessionAsync(string sessionId)
    {
        if (!State.SessionIds.Contains(sessionId))
        {
            throw WgException.NotFound("No such session.");
        }

        // Revoked is over: nothing about the session is kept (EraseAsync revokes first, announcing it).
        await GrainFactory.GetGrain<ISessionGrain>(sessionId).EraseAsync();
        State.SessionIds.Remove(sessionId);
        await user.WriteStateAsync();
        await PublishAsync(SecurityEventKind.SessionRevoked, sessionId);
    }

    public Task<int> RevokeOtherSessionsAsync(string keepSessionId) => RevokeSessionsAsync(keepSessionId);

    private async Task<int> RevokeSessionsAsync(string? keep)
    {
        var revoke = State.SessionIds.Where(id => id != keep).ToList();
        await Task.WhenAll(revoke.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).EraseAsync()));
        State.SessionIds.RemoveAll(revoke.Contains);
        await user.WriteStateAsync();
        return revoke.Count;
    }
}
