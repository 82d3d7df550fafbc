using Orleans.Concurrency;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Grains.Accounts;

[StatelessWorker]
public sealed class AccountLookupGrain(AccountRegistry registry) : Grain, IAccountLookupGrain
{
    public Task<Guid?> FindAsync(string login) => registry.FindAsync(login);
}
