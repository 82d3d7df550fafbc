namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// One account's life (keyed by user id): registration, deactivation (a sign-in reactivates it),
/// a site ban, and its side of the deletion. One of the four views of the user grain (see
/// <see cref="IUserCredentialsGrain"/> for why they are one grain).
/// </summary>
public interface IUserLifecycleGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account once; the username and e-mail are claimed in the account store first.</summary>
    Task<UserProfile> RegisterAsync(RegisterCommand command);

    /// <summary>
    /// Signs every session out, hides the channel and schedules the account's deletion; signing in
    /// before then reactivates it.
    /// </summary>
    Task<AccountDeactivation> DeactivateAsync(string currentPassword, string? totpCode);

    /// <summary>The pending deactivation, or null for an active (or unknown) account.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<AccountDeactivation?> GetDeactivationAsync();

    /// <summary>
    /// Called by the deletion at its deadline: from now on the account cannot be reactivated.
    /// Returns what the erasure needs, or null when the account is not (or no longer) due for deletion.
    /// </summary>
    Task<AccountErasure?> BeginErasureAsync();

    /// <summary>Forgets the account (its grain state is deleted): the last step of the deletion.</summary>
    Task CompleteErasureAsync();

    /// <summary>
    /// Called by the account's <c>ISiteBanGrain</c> once the ban (or its lifting, with null) is
    /// durable: from now on sign-in is refused with <c>ACCOUNT_BANNED</c>, and a ban revokes every
    /// session. Idempotent; does nothing for an account that does not exist.
    /// </summary>
    Task ApplySiteBanAsync(SiteBan? ban);

    /// <summary>The site ban in force, as this grain last learned of it; null when none (or no such account).</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<SiteBan?> GetSiteBanAsync();
}
