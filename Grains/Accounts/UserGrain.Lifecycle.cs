using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Accounts;

/// <summary>E-mail and username changes, deactivation, reactivation and the account's side of its deletion.</summary>
public sealed partial class UserGrain
{
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

        // Intent first: a stop after the registry moved the address is finished by the next activation.
        State.PendingEmail = email;
        await user.WriteStateAsync();
        if (!await ChangeInRegistryAsync(() => registry.ChangeEmailAsync(UserId, email)))
        {
            State.PendingEmail = null;
            await user.WriteStateAsync();
            throw WgException.BadInput("An account with that e-mail already exists.", "newEmail");
        }

        await ApplyEmailChangeAsync(email);
        return Profile();
    }

    /// <summary>What follows the registry's move of the address, here or when a change cut short is finished.</summary>
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
        // Intent first: a stop after the registry moved the name is finished by the next activation.
        State.PendingUsername = username;
        await user.WriteStateAsync();
        if (!await ChangeInRegistryAsync(() => registry.RenameAsync(UserId, oldName, username, reservation > TimeSpan.Zero ? now + reservation : null)))
        {
            State.PendingUsername = null;
            await user.WriteStateAsync();
            throw WgException.BadInput("That username is taken.", "newUsername");
        }

        await ApplyUsernameChangeAsync(username, now);
        return Profile();
    }

    /// <summary>What follows the registry's move of the name, here or when a change cut short is finished.</summary>
    private async Task ApplyUsernameChangeAsync(string username, DateTimeOffset now)
    {
        if (!string.Equals(username, State.Username, StringComparison.OrdinalIgnoreCase))
        {
            State.UsernameChangedAt = now;
        }

        State.Username = username;
        State.PendingUsername = null;
        await WriteOrForgetAsync();
        // Should this call not happen, the channel grain finds the registry's name in its row when it next activates.
        await GrainFactory.GetGrain<IChannelGrain>(UserId).RenameAsync(username);
        await PublishAsync(SecurityEventKind.UsernameChanged, null);
    }

    /// <summary>
    /// A change of username or e-mail written here as pending whose registry step may or may not
    /// have happened (the grain stopped, or the call failed): the registry decides. Its names are
    /// the claim; this state follows them.
    /// </summary>
    private async Task FinishPendingChangesAsync()
    {
        if (State.PendingUsername is null && State.PendingEmail is null)
        {
            return;
        }

        var claim = await registry.GetClaimAsync(UserId);
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

    /// <summary>The registry step of a change; if it fails nobody knows whether it committed, so the registry is read back.</summary>
    private async Task<bool> ChangeInRegistryAsync(Func<Task<bool>> change)
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

    public async Task<AccountDeactivation> DeactivateAsync(string currentPassword, string? totpCode)
    {
        EnsureRegistered();
        if (State.DeactivatedAt is not null)
        {
            throw WgException.BadInput("The account is already deactivated.");
        }

        await EnsurePasswordAsync(currentPassword);
        if (State.TotpEnabled)
        {
            if (string.IsNullOrWhiteSpace(totpCode))
            {
                throw WgException.BadInput("Enter a code from your authenticator app (or a recovery code).", "totpCode");
            }

            if (!AcceptSecondFactor(totpCode))
            {
                await user.WriteStateAsync();
                throw WgException.BadInput("Wrong or already used two-factor code.", "totpCode");
            }
        }

        var now = clock.GetUtcNow();
        var deactivation = new AccountDeactivation(now, now + options.Value.DeletionGrace);
        State.DeactivatedAt = deactivation.DeactivatedAt;
        State.DeletionDueAt = deactivation.DeletionAt;
        State.DeactivatedSessionIds = State.SessionIds.Union(State.DeactivatedSessionIds).ToList();
        await user.WriteStateAsync();

        // A live encoder is cut off and its key stops working (the owner sees the new key after
        // signing in again); then the channel disappears from pages, lists, search and chat.
        await GrainFactory.GetGrain<IBroadcasterGrain>(UserId).RotateKeyAsync();
        await GrainFactory.GetGrain<IChannelGrain>(UserId).SetHiddenAsync(true);
        await GrainFactory.GetGrain<IChatRoomGrain>(UserId).RecheckChannelAsync();
        await RevokeSessionsAsync(keep: null);
        await GrainFactory.GetGrain<IAccountDeletionGrain>(UserId).ScheduleAsync(deactivation.DeletionAt);
        await PublishAsync(SecurityEventKind.AccountDeactivated, null);
        await NotifyAsync(new SecurityNoticeEvent(now, UserId, SecurityNoticeKind.AccountDeactivated, DeletionDetail(deactivation.DeletionAt)));
        return deactivation;
    }

    public Task<AccountDeactivation?> GetDeactivationAsync() => Task.FromResult(
        State.Registered && State.DeactivatedAt is { } at && State.DeletionDueAt is { } due ? new AccountDeactivation(at, due) : null);

    public async Task<AccountErasure?> BeginErasureAsync()
    {
        if (!State.Registered || State.DeactivatedAt is null || State.DeletionDueAt > clock.GetUtcNow())
        {
            return null;
        }

        if (!State.Erasing)
        {
            State.Erasing = true;
            await user.WriteStateAsync();
        }

        return new AccountErasure(State.Username, State.Email, State.EmailVerified, State.Language, State.SessionIds.Union(State.DeactivatedSessionIds).ToList());
    }

    public async Task CompleteErasureAsync()
    {
        if (!State.Erasing)
        {
            throw new InvalidOperationException("Only an account whose erasure has begun can be forgotten.");
        }

        await user.ClearStateAsync();
        user.State = new UserState();
    }

    /// <summary>
    /// A sign-in with the right credentials during the grace period: the account comes back (channel
    /// shown again, deletion cancelled). Called by <see cref="LoginAsync"/> once the credentials passed.
    /// </summary>
    private async Task<bool> ReactivateIfDeactivatedAsync()
    {
        if (State.DeactivatedAt is null)
        {
            return false;
        }

        State.DeactivatedAt = null;
        State.DeletionDueAt = null;
        await user.WriteStateAsync();
        await GrainFactory.GetGrain<IAccountDeletionGrain>(UserId).CancelAsync();
        await GrainFactory.GetGrain<IChannelGrain>(UserId).SetHiddenAsync(false);
        await NotifyAsync(new SecurityNoticeEvent(clock.GetUtcNow(), UserId, SecurityNoticeKind.AccountReactivated, null));
        return true;
    }

    private string DeletionDetail(DateTimeOffset at) => State.Language == "uk"
        ? $"його буде видалено {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC; увійдіть до того часу, щоб його зберегти"
        : $"it will be deleted on {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC; sign in before then to keep it";

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: a {What} change cut short after the registry step was finished")]
    private partial void LogPendingChangeFinished(Guid userId, string what);

    private async Task NotifyAsync(SecurityNoticeEvent notice)
    {
        try
        {
            await GrainFactory.GetGrain<INotificationDispatchGrain>(0).PublishAsync(notice);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotifyFailed(e, UserId, notice.Kind);
        }
    }
}
