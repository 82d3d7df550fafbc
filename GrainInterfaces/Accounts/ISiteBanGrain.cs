using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// The site-wide ban of one account, keyed by its user id. The ban is written to PostgreSQL first
/// (with an audit line); its effects (sign-in refused and sessions revoked, chat refused in every
/// room, the live broadcast ended) follow, each idempotent, and the row says whether they all ran.
/// A ban whose effects were cut short (a silo died, a write failed) is finished by the sweep.
/// The caller must have checked that <c>actorId</c> is an operator with 2FA (<c>Operators</c>).
/// </summary>
public interface ISiteBanGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Bans the account. BAD_USER_INPUT (field <c>userId</c>) for oneself or an operator, (field
    /// <c>reason</c>) for a reason that is empty or over 500 characters; NOT_FOUND for no such
    /// account; FORBIDDEN when <paramref name="actorId"/> is not listed as an operator. Banning a
    /// banned account changes nothing and returns the ban in force (its effects are re-applied).
    /// </summary>
    Task<SiteBan> BanAsync(Guid actorId, string reason);

    /// <summary>Lifts the ban; NOT_FOUND when the account is not banned.</summary>
    Task UnbanAsync(Guid actorId);

    [ReadOnly]
    Task<SiteBan?> GetAsync();

    /// <summary>Re-applies the effects of the stored state (banned or lifted) if they may not all have run; the sweep calls it.</summary>
    Task ReapplyAsync();
}
