namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// Finds an account id by username or e-mail (case-insensitively) in the account registry, so the
/// Api nodes never talk to the database themselves. A stateless worker: use key 0.
/// </summary>
public interface IAccountLookupGrain : IGrainWithIntegerKey
{
    Task<Guid?> FindAsync(string login);

    /// <summary>
    /// For a login that <see cref="FindAsync"/> found no account for: takes as long as checking a
    /// wrong password would, so the answer's time does not tell a stranger which logins exist.
    /// </summary>
    Task SpendPasswordCheckAsync(string password);
}
