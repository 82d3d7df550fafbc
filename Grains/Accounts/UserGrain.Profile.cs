using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Chat;

namespace WgStream.Grains.Accounts;

/// <summary>The profile, the e-mail address and its verification, the username and the chat colour.</summary>
public sealed partial class UserGrain : IUserProfileGrain
{
    public Task<UserProfile?> GetProfileAsync() => Task.FromResult(State.Registered ? Profile() : null);

    public async Task<UserProfile> VerifyEmailAsync(string code)
    {
        EnsureRegistered();
        if (State.EmailVerified)
        {
            return Profile();
        }

        if (State.EmailCodeHash is null || State.EmailCodeExpiresAt <= clock.GetUtcNow())
        {
            throw WgException.BadInput("The code has expired; ask for a new one.", "code");
        }

        if (!Secrets.Matches(code.Trim(), State.EmailCodeHash))
        {
            State.EmailCodeAttempts++;
            if (State.EmailCodeAttempts >= options.Value.EmailCodeMaxAttempts)
            {
                State.EmailCodeHash = null;
            }

            await user.WriteStateAsync();
            throw WgException.BadInput("Wrong code.", "code");
        }

        State.EmailVerified = true;
        State.EmailCodeHash = null;
        await user.WriteStateAsync();
        await PublishAsync(SecurityEventKind.EmailVerified, null);
        return Profile();
    }

    public async Task ResendVerificationEmailAsync()
    {
        EnsureRegistered();
        if (State.EmailVerified)
        {
            throw WgException.BadInput("The e-mail address is already verified.");
        }

        var code = NewEmailCode();
        await user.WriteStateAsync();
        await TrySendAsync(() => mail.SendVerificationCodeAsync(State.Email, State.Username, code, State.Language));
    }

    public Task<ChatIdentity?> GetChatIdentityAsync() => Task.FromResult(State.Registered && State.DeactivatedAt is null
        ? new ChatIdentity(UserId, State.Username, State.ChatColor ?? ChatColors.Default(State.Username))
        : null);

    public Task<NotificationContact?> GetNotificationContactAsync() => Task.FromResult(State.Registered
        ? new NotificationContact(State.Username, State.Email, State.EmailVerified, State.Language)
        : null);

    public async Task<string> SetChatColorAsync(string color)
    {
        EnsureRegistered();
        State.ChatColor = ChatColors.Normalize(color);
        await user.WriteStateAsync();
        return State.ChatColor;
    }

    public async Task<UserProfile> ChangeEmailAsync(string newEmail, string currentPassword)
    {
        EnsureRegistered();
        await FinishPendingChangesAsync();
        await EnsurePasswordAsync(currentPassword);
        var email = AccountRules.Email(newEmail, "newEmail");
        if (string.Equals(email, State.Email, StringComparison.OrdinalIgnoreCase))
        {
            throw WgException.BadInput("That is already your e-mail address.", "newEmail");
        }

        // Intent first: a stop after the store moved the address is finished by the next activation.
        State.PendingEmail = email;
        await user.WriteStateAsync();
        if (!await ChangeInStoreAsync(() => accounts.ChangeEmailAsync(UserId, email)))
        {
            State.PendingEmail = null;
            await user.WriteStateAsync();
            throw WgException.BadInput("An account with that e-mail already exists.", "newEmail");
        }

        await ApplyEmailChangeAsync(email);
        return Profile();
    }

    /// <summary>What follows the store's move of the address, here or when a change cut short is finished.</summary>
    private async Task ApplyEmailChangeAsync(string email)
    {
        var previous = State.Email;
        var previousVerified = State.EmailVerified;
        State.Email = email;
        State.EmailVerified = false;
        State.ResetTokenHash = null;
        State.PendingEmail = null;
        var code = NewEmailCode();
        await WriteOrForgetAsync();
        await TrySendAsync(() => mail.SendVerificationCodeAsync(email, State.Username, code, State.Language));
        await PublishAsync(SecurityEventKind.EmailChanged, null);
        // The previous address hears of it (if it ever proved to be the owner's): if someone else
        // made the change, that is where the owner still reads mail.
        await NotifyAsync(new SecurityNoticeEvent(clock.GetUtcNow(), UserId, SecurityNoticeKind.EmailChanged, Mask(email), previousVerified ? previous : null));
    }

    public async Task<UserProfile> ChangeUsernameAsync(string newUsername, string? currentPassword, string? totpCode)
    {
        EnsureRegistered();
        await FinishPendingChangesAsync();
        // The channel URL is the account's public name: a stolen session must not give it away.
        await ReauthenticateAsync(currentPassword, totpCode);
        var username = AccountRules.Username(newUsername, "newUsername");
        if (username == State.Username)
        {
            throw WgException.BadInput("That is already your username.", "newUsername");
        }

        var now = clock.GetUtcNow();
        var caseOnly = string.Equals(username, State.Username, StringComparison.OrdinalIgnoreCase);
        if (!caseOnly && State.UsernameChangedAt is { } last && last + options.Value.UsernameChangeCooldown > now)
        {
            var allowedAt = last + options.Value.UsernameChangeCooldown;
            throw new WgException(ErrorCodes.RateLimited, $"A username can change once every {options.Value.UsernameChangeCooldown.TotalDays:0.#} days; the next change is possible from {allowedAt:u}.", "newUsername", allowedAt);
        }

        var reservation = options.Value.UsernameReservation;
        var oldName = State.Username;
        // Intent first: a stop after the store moved the name is finished by the next activation.
        State.PendingUsername = username;
        await user.WriteStateAsync();
        if (!await ChangeInStoreAsync(() => accounts.RenameAsync(UserId, oldName, username, reservation > TimeSpan.Zero ? now + reservation : null)))
        {
            State.PendingUsername = null;
            await user.WriteStateAsync();
            throw WgException.BadInput("That username is taken.", "newUsername");
        }

        await ApplyUsernameChangeAsync(username, now);
        return Profile();
    }

    /// <summary>What follows the store's move of the name, here or when a change cut short is finished.</summary>
    private async Task ApplyUsernameChangeAsync(string username, DateTimeOffset now)
    {
        if (!string.Equals(username, State.Username, StringComparison.OrdinalIgnoreCase))
        {
            State.UsernameChangedAt = now;
        }

        State.Username = username;
        State.PendingUsername = null;
        await WriteOrForgetAsync();
        // Should this call not happen, the channel grain finds the store's name in its row when it next activates.
        await GrainFactory.GetGrain<IChannelGrain>(UserId).RenameAsync(username);
        await PublishAsync(SecurityEventKind.UsernameChanged, null);
    }

    /// <summary>
    /// A change of username or e-mail written here as pending whose store step may or may not
    /// have happened (the grain stopped, or the call failed): the account store decides. Its names
    /// are the claim; this state follows them.
    /// </summary>
    private async Task FinishPendingChangesAsync()
    {
        if (State.PendingUsername is null && State.PendingEmail is null)
        {
            return;
        }

        var claim = await accounts.GetClaimAsync(UserId);
        if (State.PendingUsername is { } username)
        {
            if (claim?.Username == username)
            {
                LogPendingChangeFinished(UserId, "username");
                await ApplyUsernameChangeAsync(username, clock.GetUtcNow());
            }
            else
            {
                State.PendingUsername = null;
                await user.WriteStateAsync();
            }
        }

        if (State.PendingEmail is { } email)
        {
            if (claim?.Email == email)
            {
                LogPendingChangeFinished(UserId, "e-mail");
                await ApplyEmailChangeAsync(email);
            }
            else
            {
                State.PendingEmail = null;
                await user.WriteStateAsync();
            }
        }
    }

    /// <summary>The store step of a change; if it fails nobody knows whether it committed, so the store is read back.</summary>
    private async Task<bool> ChangeInStoreAsync(Func<Task<bool>> change)
    {
        try
        {
            return await change();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            try
            {
                await FinishPendingChangesAsync();
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                // Still pending in storage: the next activation or change finishes it.
                LogPendingChangeFailed(again, UserId);
            }

            throw;
        }
    }

    /// <summary>
    /// A state write that must not leave this activation believing what storage does not hold:
    /// after a failure the activation goes, and the next one starts from storage (where a pending
    /// change is finished, see <see cref="FinishPendingChangesAsync"/>).
    /// </summary>
    private async Task WriteOrForgetAsync()
    {
        try
        {
            await user.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            DeactivateOnIdle();
            throw;
        }
    }

    /// <summary>An address shown in a notice, half hidden: <c>al***@example.com</c>.</summary>
    internal static string Mask(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return "***";
        }

        var keep = Math.Min(2, at);
        return $"{email[..keep]}***{email[at..]}";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: a username or e-mail change cut short could not be finished yet")]
    private partial void LogPendingChangeFailed(Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: a {What} change cut short after the registry step was finished")]
    private partial void LogPendingChangeFinished(Guid userId, string what);
}
