namespace WgStream.GrainInterfaces.Accounts;

/// <summary>
/// Who one account (keyed by user id) is to others and how it is reached: the profile, the
/// username, the e-mail address and its verification, the chat colour. One of the four views of
/// the user grain (see <see cref="IUserCredentialsGrain"/> for why they are one grain).
/// </summary>
public interface IUserProfileGrain : IGrainWithGuidKey
{
    Task<UserProfile?> GetProfileAsync();

    Task<UserProfile> VerifyEmailAsync(string code);

    Task ResendVerificationEmailAsync();

    /// <summary>
    /// Moves the account to a new address (unique ignoring case), which must then be verified with
    /// the code sent to it; the previous address, if it was verified, is told of the change.
    /// </summary>
    Task<UserProfile> ChangeEmailAsync(string newEmail, string currentPassword);

    /// <summary>
    /// Renames the account and its channel (the channel URL) atomically in the account store;
    /// limited to once per <c>Accounts:UsernameChangeCooldown</c> (case-only changes are free), and
    /// the old name stays reserved for this account for <c>Accounts:UsernameReservation</c>.
    /// Needs the current password or, on an account with 2FA on, a two-factor code instead.
    /// </summary>
    Task<UserProfile> ChangeUsernameAsync(string newUsername, string? currentPassword, string? totpCode);

    /// <summary>The username and nickname colour chat shows for this user; null if there is no such account.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<Chat.ChatIdentity?> GetChatIdentityAsync();

    /// <summary>Sets the nickname colour: <c>#rrggbb</c> or a palette name; returns the colour as stored.</summary>
    Task<string> SetChatColorAsync(string color);

    /// <summary>Where and in which language notifications reach this user; null if there is no such account.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<Notifications.NotificationContact?> GetNotificationContactAsync();
}
