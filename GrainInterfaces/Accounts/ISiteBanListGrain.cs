using Orleans.Concurrency;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.GrainInterfaces.Accounts;

/// <summary>Reads over the site bans, from PostgreSQL, for the operators' panel. A stateless worker: use key 0.</summary>
public interface ISiteBanListGrain : IGrainWithIntegerKey
{
    /// <summary>Bans in force, newest first; a cursor the Api did not give out is BAD_USER_INPUT.</summary>
    [ReadOnly]
    Task<Page<SiteBan>> ListAsync(int first, string? after);

    /// <summary>The audit lines, newest first: of one account, or of all when <paramref name="userId"/> is null.</summary>
    [ReadOnly]
    Task<Page<SiteBanAuditEntry>> AuditAsync(Guid? userId, int first, string? after);
}
