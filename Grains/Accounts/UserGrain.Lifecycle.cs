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
        await EnsurePasswordAsync(currentPassword);
        var email = AccountRules.Email(newEmail, "newEmail");
        if (string.Equals(email, State.Email, StringComparison.OrdinalIgnoreCase))
        {
            throw WgException.BadInput("That is already your e-mail address.", "newEmail");
        }

        if (!await registry.ChangeEmailAsync(UserId, email))
        {
            throw WgException.BadInput("An account with that e-mail already exists.", "newEmail");
        }

        var previous = State.Email;
        var previousVerified = State.EmailVerified;
        State.Email = email;
        State.EmailVerified = false;
        State.ResetTokenHash = null;
        var code = NewEmailCode();
        await user.WriteStateAsync();
        await TrySendAsync(() => mail.SendVerificationCodeAsync(email, State.Username, code, State.Language));
        await PublishAsync(SecurityEventKind.EmailChanged, null);
        // The previous address hears of it (if it ever proved to be the owner's): if someone else
        // made the change, that is where the owner still reads mail.
        await NotifyAsync(new SecurityNoticeEvent(clock.GetUtcNow(), UserId, SecurityNoticeKind.EmailChanged, Mask(email), previousVerified ? previous : null));
        return Profile();
    }

    public async Task<UserProfile> ChangeUsernameAsync(string newUsername, string? currentPassword, string? totpCode)
    {
        EnsureRegistered();
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
        if (!await registry.RenameAsync(UserId, oldName, username, reservation > TimeSpan.Zero ? now + reservation : null))
        {
            throw WgException.BadInput("That username is taken.", "newUsername");
        }

        State.Username = username;
        if (!caseOnly)
        {
            State.UsernameChangedAt = now;
        }

        await user.WriteStateAsync();
        await GrainFactory.GetGrain<IChannelGrain>(UserId).RenameAsync(username);
        await PublishAsync(SecurityEventKind.UsernameChanged, null);
        return Profile();
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
