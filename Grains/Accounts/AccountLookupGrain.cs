using Orleans.Concurrency;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Grains.Accounts;

[StatelessWorker]
public sealed class AccountLookupGrain(AccountStore accounts, PasswordHasher hasher) : Grain, IAccountLookupGrain
{
    public Task<Guid?> FindAsync(string login) => accounts.FindAsync(login);

    public Task SpendPasswordCheckAsync(string password) => hasher.VerifyNobodyAsync(password);
}
