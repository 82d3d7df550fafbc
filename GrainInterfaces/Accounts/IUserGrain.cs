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

    Task<TotpSetup> BeginTotpSetupAsync();

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
}
