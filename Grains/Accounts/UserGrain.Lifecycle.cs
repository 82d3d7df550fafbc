using Microsoft.Extensions.Logging;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Accounts;

/// <summary>Registration, deactivation and reactivation, a site ban, and the account's side of its deletion.</summary>
public sealed partial class UserGrain : IUserLifecycleGrain
{
    public async Task<UserProfile> RegisterAsync(RegisterCommand command)
    {
        if (State.Registered)
        {
            throw WgException.BadInput("This account already exists.");
        }

        var username = AccountRules.Username(command.Username);
        var email = AccountRules.Email(command.Email);
        AccountRules.Password(command.Password, username);
        var passwordHash = await hasher.HashAsync(command.Password);

        var claim = await accounts.ClaimAsync(UserId, username, email);
        if (claim != ClaimResult.Claimed && await ReleaseAbandonedClaimsAsync(username, email))
        {
            claim = await accounts.ClaimAsync(UserId, username, email);
        }

        switch (claim)
        {
            case ClaimResult.UsernameTaken:
                throw WgException.BadInput("That username is taken.", "username");
            case ClaimResult.EmailTaken:
                throw WgException.BadInput("An account with that e-mail already exists.", "email");
        }

        State.Registered = true;
        State.Username = username;
        State.Email = email;
        State.PasswordHash = passwordHash;
        State.CreatedAt = clock.GetUtcNow();
        State.Language = NormalizeLanguage(command.Language);
        var code = NewEmailCode();
        try
        {
            await user.WriteStateAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // No account after all: nothing in memory may say otherwise, and the names go back.
            // (Should the write have been stored despite the error, the fresh activation that
            // follows reads it; the released names then point nowhere, which nobody can use.)
            user.State = new UserState();
            DeactivateOnIdle();
            await TryReleaseClaimAsync();
            throw;
        }

        try
        {
            await accounts.ConfirmAsync(UserId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Pending but real: whoever later finds the claim in the way asks this grain, sees the
            // account, and confirms it then.
            LogConfirmFailed(e, UserId);
        }

        await GrainFactory.GetGrain<IChannelGrain>(UserId).CreateAsync(username, State.CreatedAt);
        await TrySendAsync(() => mail.SendVerificationCodeAsync(State.Email, State.Username, code, State.Language));
        return Profile();
    }

    /// <summary>
    /// A registration that stopped between its claim and its state write left the claim pending for
    /// good. Pending claims in the way that are older than <see cref="AccountOptions.PendingClaimTimeout"/>
    /// are checked with their user grain: none registered, the claim is released; registered (only its
    /// confirmation was lost), it is confirmed. The grain call queues behind a registration still
    /// running on that grain, so a live one is never released. True if anything was released.
    /// </summary>
    private async Task<bool> ReleaseAbandonedClaimsAsync(string username, string email)
    {
        var released = false;
        foreach (var other in await accounts.StalePendingClaimsAsync(username, email, options.Value.PendingClaimTimeout))
        {
            if (other == UserId)
            {
                continue;
            }

            if (await GrainFactory.GetGrain<IUserProfileGrain>(other).GetProfileAsync() is null)
            {
                if (await accounts.ReleasePendingAsync(other))
                {
                    LogAbandonedClaimReleased(other);
                    released = true;
                }
            }
            else
            {
                await accounts.ConfirmAsync(other);
            }
        }

        return released;
    }

    private async Task TryReleaseClaimAsync()
    {
        try
        {
            await accounts.ReleasePendingAsync(UserId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left pending: released when someone claims the name after the timeout.
            LogConfirmFailed(e, UserId);
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

    public async Task ApplySiteBanAsync(SiteBan? ban)
    {
        if (!State.Registered)
        {
            return;
        }

        if (State.SiteBan != ban)
        {
            State.SiteBan = ban;
            await user.WriteStateAsync();
        }

        if (ban is not null)
        {
            // Each revocation is announced on the revocation stream, and every Api node closes
            // that session's sockets. Done on every call: a repeat finds nothing left to revoke.
            await RevokeSessionsAsync(keep: null);
        }
    }

    public Task<SiteBan?> GetSiteBanAsync() => Task.FromResult(State.Registered ? State.SiteBan : null);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: the registry's claim could not be confirmed or released; left pending")]
    private partial void LogConfirmFailed(Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the username and e-mail claimed by {UserId}, a registration that never completed")]
    private partial void LogAbandonedClaimReleased(Guid userId);
}
