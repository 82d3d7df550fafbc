using Orleans.Concurrency;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;

namespace WgStream.Grains.Accounts;

[StatelessWorker]
public sealed class SiteBanListGrain(SiteBanStore store) : Grain, ISiteBanListGrain
{
    public Task<Page<SiteBan>> ListAsync(int first, string? after) => store.ListAsync(first, after);

    public Task<Page<SiteBanAuditEntry>> AuditAsync(Guid? userId, int first, string? after) => store.AuditAsync(userId, first, after);
}
