namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// One account, keyed by user id. Holds credentials, 2FA and the index of the account's sessions.
/// </summary>
public interface IUserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account once; the username and e-mail are claimed in the account registry first.</summary>
    Task<UserProfile> RegisterAsync(RegisterCommand command);

    Task<UserProfile?> GetProfileAsync();

    /// <summary>Checks the password (and TOTP when enabled) and opens a session.</summary>
    Task<LoginResult> LoginAsync(LoginCommand command);

    Task<UserProfile> VerifyEmailAsync(string code);

    Task ResendVerificationEmailAsync();

    /// <summary>Sends a reset link to the account's address (verified or not: only its owner reads it); does nothing for an unregistered grain. The Api answers the same either way, so addresses cannot be probed.</summary>
    Task RequestPasswordResetAsync(string language);

    /// <summary>Sets a new password with a reset token and signs every session out.</summary>
    Task ResetPasswordAsync(string tokenSecret, string newPassword);

    Task ChangePasswordAsync(string currentPassword, string newPassword, string keepSessionId);

    Task<IReadOnlyList<SessionInfo>> GetSessionsAsync();

    Task RevokeSessionAsync(string sessionId);

    /// <summary>Revokes every session but <paramref name="keepSessionId"/>; returns how many were revoked.</summary>
    Task<int> RevokeOtherSessionsAsync(string keepSessionId);

    /// <summary>Starts 2FA set-up once the current password checks out (<c>BAD_USER_INPUT</c> on <c>currentPassword</c> otherwise).</summary>
    Task<TotpSetup> BeginTotpSetupAsync(string currentPassword);

    /// <summary>Turns 2FA on once the authenticator proves it has the secret; returns one-time recovery codes.</summary>
    Task<IReadOnlyList<string>> ConfirmTotpAsync(string code);

    Task DisableTotpAsync(string code);

    /// <summary>The username and nickname colour chat shows for this user; null if there is no such account.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<Chat.ChatIdentity?> GetChatIdentityAsync();

    /// <summary>Where and in which language notifications reach this user; null if there is no such account.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<Notifications.NotificationContact?> GetNotificationContactAsync();

    /// <summary>Sets the nickname colour: <c>#rrggbb</c> or a palette name; returns the colour as stored.</summary>
    Task<string> SetChatColorAsync(string color);

    /// <summary>
    /// Moves the account to a new address (unique ignoring case), which must then be verified with
    /// the code sent to it; the previous address, if it was verified, is told of the change.
    /// </summary>
    Task<UserProfile> ChangeEmailAsync(string newEmail, string currentPassword);

    /// <summary>
    /// Renames the account and its channel (the channel URL) atomically in the account registry;
    /// limited to once per <c>Accounts:UsernameChangeCooldown</c> (case-only changes are free), and
    /// the old name stays reserved for this account for <c>Accounts:UsernameReservation</c>.
    /// Needs the current password or, on an account with 2FA on, a two-factor code instead.
    /// </summary>
    Task<UserProfile> ChangeUsernameAsync(string newUsername, string? currentPassword, string? totpCode);

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
