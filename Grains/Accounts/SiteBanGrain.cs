using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.Grains.Chat;

namespace WgStream.Grains.Accounts;

/// <summary>
/// One account's site-wide ban (keyed by user id). Not reentrant, so a ban, an unban and a sweep
/// of the same account run one after another. The <c>site_bans</c> row is written first and is
/// the fact; then come the effects, each idempotent: the user grain records the ban (sign-in is
/// refused) and revokes every session (their sockets close), every silo learns of it (chat refuses
/// the account's messages), and a live broadcast is ended. Only then is the row marked applied. A
/// silo that dies in between leaves the row unmarked, and the sweep on any silo
/// (<see cref="SiteBanWatcher"/>) calls <see cref="ReapplyAsync"/>, which runs the effects again.
/// </summary>
public sealed partial class SiteBanGrain(
    SiteBanStore store,
    SiteBannedUsers banned,
    IOptions<AdminOptions> admin,
    TimeProvider clock,
    ILogger<SiteBanGrain> logger) : Grain, ISiteBanGrain
{
    public const int MaxReasonLength = 500;

    private Guid UserId => this.GetPrimaryKey();

    public async Task<SiteBan> BanAsync(Guid actorId, string reason)
    {
        var operators = admin.Value.UserIds;
        if (!operators.Contains(actorId))
        {
            throw WgException.Forbidden("Only operators can ban accounts from the site.");
        }

        if (actorId == UserId)
        {
            throw WgException.BadInput("You cannot ban yourself.", "userId");
        }

        if (operators.Contains(UserId))
        {
            throw WgException.BadInput("Operators cannot be banned; take the account off Admin:UserIds first.", "userId");
        }

        var cleaned = CleanReason(reason);
        if (await GrainFactory.GetGrain<IUserProfileGrain>(UserId).GetProfileAsync() is null)
        {
            throw WgException.NotFound("No such account.");
        }

        var stored = await store.BanAsync(UserId, cleaned, actorId, clock.GetUtcNow());
        LogBanned(UserId, actorId);
        await ApplyAsync(stored);
        return stored.InForce!;
    }

    public async Task UnbanAsync(Guid actorId)
    {
        if (!admin.Value.UserIds.Contains(actorId))
        {
            throw WgException.Forbidden("Only operators can lift site bans.");
        }

        var stored = await store.UnbanAsync(UserId, actorId, clock.GetUtcNow())
            ?? throw WgException.NotFound("That account is not banned.");
        LogUnbanned(UserId, actorId);
        await ApplyAsync(stored);
    }

    public async Task<SiteBan?> GetAsync() => (await store.GetAsync(UserId))?.InForce;

    public async Task ReapplyAsync()
    {
        if (await store.GetAsync(UserId) is { EffectsApplied: false } stored)
        {
            await ApplyAsync(stored);
        }
    }

    /// <summary>Every effect of the stored state, in an order that is safe to repeat from any point, then the mark.</summary>
    private async Task ApplyAsync(StoredSiteBan stored)
    {
        var ban = stored.InForce;
        // Sign-in first: once the user grain has it, no new session can start, so revoking the
        // existing ones (which it does in the same call) leaves none.
        await GrainFactory.GetGrain<IUserLifecycleGrain>(UserId).ApplySiteBanAsync(ban);

        // This silo at once; every silo through the stream (and through its sweep, should it miss that).
        banned.Set(UserId, ban is not null);
        await this.GetStreamProvider(StreamNames.Provider)
            .GetStream<SiteBanChanged>(StreamId.Create(StreamNames.SiteBans, StreamNames.SiteBansKey))
            .OnNextAsync(new SiteBanChanged(UserId, ban is not null));

        if (ban is not null)
        {
            // The same end as an encoder that stops; going live again is refused while banned.
            await GrainFactory.GetGrain<IBroadcasterGrain>(UserId).EndBroadcastAsync(StreamEndReason.SiteBanned);
        }

        await store.MarkAppliedAsync(UserId, stored.ChangedAt);
    }

    private static string CleanReason(string? reason)
    {
        try
        {
            return ChatText.Clean(reason ?? string.Empty, MaxReasonLength);
        }
        catch (WgException e) when (e.Code == ErrorCodes.BadUserInput)
        {
            throw WgException.BadInput($"Give a reason of 1 to {MaxReasonLength} characters.", "reason");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {UserId} banned from the site by operator {ActorId}")]
    private partial void LogBanned(Guid userId, Guid actorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The site ban of account {UserId} lifted by operator {ActorId}")]
    private partial void LogUnbanned(Guid userId, Guid actorId);
}
