namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// How one account (keyed by user id) proves who is at the keyboard: sign-in, the password and its
/// reset, and two-factor authentication with its recovery codes.
/// </summary>
/// <remarks>
/// One of the four narrow views of the account (<see cref="IUserCredentialsGrain"/>,
/// <see cref="IUserSessionsGrain"/>, <see cref="IUserProfileGrain"/>, <see cref="IUserLifecycleGrain"/>).
/// All four are implemented by the one user grain over one state, so an account is still one
/// activation and one owner of its facts (a sign-in reactivates a deactivated account, a site ban
/// revokes its sessions, a username change asks for the second factor): callers ask for the view
/// they need with the same user id, e.g. <c>grains.GetGrain&lt;IUserCredentialsGrain&gt;(userId)</c>.
/// </remarks>
public interface IUserCredentialsGrain : IGrainWithGuidKey
{
    /// <summary>Checks the password (and TOTP when enabled) and opens a session.</summary>
    Task<LoginResult> LoginAsync(LoginCommand command);

    /// <summary>Sends a reset link to the account's address (verified or not: only its owner reads it); does nothing for an unregistered grain. The Api answers the same either way, so addresses cannot be probed.</summary>
    Task RequestPasswordResetAsync(string language);

    /// <summary>Sets a new password with a reset token and signs every session out.</summary>
    Task ResetPasswordAsync(string tokenSecret, string newPassword);

    Task ChangePasswordAsync(string currentPassword, string newPassword, string keepSessionId);

    /// <summary>Starts 2FA set-up once the current password checks out (<c>BAD_USER_INPUT</c> on <c>currentPassword</c> otherwise).</summary>
    Task<TotpSetup> BeginTotpSetupAsync(string currentPassword);

    /// <summary>Turns 2FA on once the authenticator proves it has the secret; returns one-time recovery codes.</summary>
    Task<IReadOnlyList<string>> ConfirmTotpAsync(string code);

    Task DisableTotpAsync(string code);
}
