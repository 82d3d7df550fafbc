using Orleans.Concurrency;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Grains.Accounts;

/// <summary>
/// Reentrant as well as a stateless worker: it holds nothing, and a login naming no account spends
/// an Argon2 check here (off the scheduler, in <see cref="PasswordHasher"/>); without reentrancy a
/// burst of those would queue every other login's lookup behind them on this silo's few workers.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class AccountLookupGrain(AccountStore accounts, PasswordHasher hasher) : Grain, IAccountLookupGrain
{
    public Task<Guid?> FindAsync(string login) => accounts.FindAsync(login);

    public Task SpendPasswordCheckAsync(string password) => hasher.VerifyNobodyAsync(password);
}
