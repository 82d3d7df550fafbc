namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// Finds an account id by username or e-mail (case-insensitively) in the account registry, so the
/// Api nodes never talk to the database themselves. A stateless worker: use key 0.
/// </summary>
public interface IAccountLookupGrain : IGrainWithIntegerKey
{
    Task<Guid?> FindAsync(string login);
}
