using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OtpNet;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Chat;
using WgStream.Grains.Infrastructure.Secrets;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Accounts;

public sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Default)] IPersistentState<UserState> user,
    AccountRegistry registry,
    PasswordHasher hasher,
    AccountMail mail,
    IOptions<AccountOptions> options,
    SecretProtector protector,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    private const string WrongCredentials = "Wrong login or password.";

    private UserState State => user.State;

    private Guid UserId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.TotpSecret is not null || State.PendingTotpSecret is not null)
        {
            // State written before TOTP secrets were encrypted: encrypt them now and keep no plain copy.
            if (State.TotpSecret is { } secret)
            {
                State.TotpSecretCiphertext = ProtectTotp(secret);
                State.TotpSecret = null;
            }

            if (State.PendingTotpSecret is { } pending)
            {
                State.PendingTotpSecretCiphertext = ProtectTotp(pending);
                State.PendingTotpSecret = null;
            }

            await user.WriteStateAsync();
            LogTotpSecretEncrypted(UserId);
        }

        try
        {
            await FinishPendingChangesAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Tried again by the next activation, or the next change of username or e-mail.
            LogPendingChangeFailed(e, UserId);
        }
    }

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

        var claim = await registry.ClaimAsync(UserId, username, email);
        if (claim != ClaimResult.Claimed && await ReleaseAbandonedClaimsAsync(username, email))
        {
            claim = await registry.ClaimAsync(UserId, username, email);
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
            await registry.ConfirmAsync(UserId);
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
        foreach (var other in await registry.StalePendingClaimsAsync(username, email, options.Value.PendingClaimTimeout))
        {
            if (other == UserId)
            {
                continue;
            }

            if (await GrainFactory.GetGrain<IUserGrain>(other).GetProfileAsync() is null)
            {
                if (await registry.ReleasePendingAsync(other))
                {
                    LogAbandonedClaimReleased(other);
                    released = true;
                }
            }
            else
            {
                await registry.ConfirmAsync(other);
            }
        }

        return released;
    }

    private async Task TryReleaseClaimAsync()
    {
        try
        {
            await registry.ReleasePendingAsync(UserId);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left pending: released when someone claims the name after the timeout.
            LogConfirmFailed(e, UserId);
        }
    }

    public Task<UserProfile?> GetProfileAsync() => Task.FromResult(State.Registered ? Profile() : null);

    public async Task<LoginResult> LoginAsync(LoginCommand command)
    {
        if (!State.Registered || State.Erasing || !await hasher.VerifyAsync(command.Password, State.PasswordHash))
        {
            throw WgException.Unauthenticated(WrongCredentials);
        }

        // After the password, so that only someone who knows it learns of the ban.
        if (State.SiteBan is { } ban)
        {
            throw WgException.AccountBanned($"This account is banned from WG-Stream. Reason: {ban.Reason}");
        }

        if (State.TotpEnabled)
        {
            if (string.IsNullOrWhiteSpace(command.TotpCode))
            {
                return new LoginResult(null, null, null, TotpRequired: true);
            }

            if (!AcceptSecondFactor(command.TotpCode))
            {
                throw WgException.Unauthenticated("Wrong or already used two-factor code.");
            }
        }

        var reactivated = await ReactivateIfDeactivatedAsync();
        var sessionId = Secrets.NewToken(16);
        var secret = Secrets.NewToken(32);
        await GrainFactory.GetGrain<ISessionGrain>(sessionId)
            .OpenAsync(new OpenSessionCommand(UserId, Secrets.Hash(secret), command.Client));
        // Sessions that expired since are erased now, so the index does not grow with every login.
        await PruneEndedSessionsAsync(save: false);
        State.SessionIds.Add(sessionId);
        var announce = State.LastLoginAt is not null;
        State.LastLoginAt = clock.GetUtcNow();
        await user.WriteStateAsync();
        await PublishAsync(SecurityEventKind.NewLogin, sessionId);
        if (announce)
        {
            await NotifyAsync(SecurityNoticeKind.NewLogin, Describe(command.Client));
        }

        return new LoginResult($"{sessionId}.{secret}", sessionId, Profile(), TotpRequired: false, Reactivated: reactivated);
    }

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

    public async Task RequestPasswordResetAsync(string language)
    {
        if (!State.Registered)
        {
            return;
        }

        var secret = Secrets.NewToken(32);
        State.ResetTokenHash = Secrets.Hash(secret);
        State.ResetTokenExpiresAt = clock.GetUtcNow() + options.Value.PasswordResetLifetime;
        await user.WriteStateAsync();
        var token = $"{UserId:N}.{secret}";
        await TrySendAsync(() => mail.SendPasswordResetAsync(State.Email, State.Username, token, NormalizeLanguage(language)));
    }

    public async Task ResetPasswordAsync(string tokenSecret, string newPassword)
    {
        if (!State.Registered || State.ResetTokenHash is null || State.ResetTokenExpiresAt <= clock.GetUtcNow()
            || !Secrets.Matches(tokenSecret, State.ResetTokenHash))
        {
            throw WgException.BadInput("The reset link is invalid or has expired.", "token");
        }

        AccountRules.Password(newPassword, State.Username, "newPassword");
        State.PasswordHash = await hasher.HashAsync(newPassword);
        State.ResetTokenHash = null;
        await user.WriteStateAsync();
        // Whoever knew the old password must not stay signed in.
        await RevokeSessionsAsync(keep: null);
        await PublishAsync(SecurityEventKind.PasswordChanged, null);
        await NotifyAsync(SecurityNoticeKind.PasswordReset, null);
    }

    public async Task ChangePasswordAsync(string currentPassword, string newPassword, string keepSessionId)
    {
        EnsureRegistered();
        await EnsurePasswordAsync(currentPassword);
        AccountRules.Password(newPassword, State.Username, "newPassword");
        State.PasswordHash = await hasher.HashAsync(newPassword);
        await user.WriteStateAsync();
        await RevokeSessionsAsync(keep: keepSessionId);
        await PublishAsync(SecurityEventKind.PasswordChanged, keepSessionId);
        await NotifyAsync(SecurityNoticeKind.PasswordChanged, null);
    }

    public async Task<IReadOnlyList<SessionInfo>> GetSessionsAsync()
    {
        var live = await PruneEndedSessionsAsync(save: true);
        return live.OrderByDescending(s => s.LastSeenAt).ToList();
    }

    /// <summary>
    /// Expired sessions drop out of the index (read here, or at the next login), and what was
    /// stored about them is erased; the live ones are returned.
    /// </summary>
    private async Task<List<SessionInfo>> PruneEndedSessionsAsync(bool save)
    {
        var infos = await Task.WhenAll(State.SessionIds.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).GetInfoAsync()));
        var live = infos.OfType<SessionInfo>().ToList();
        if (live.Count != State.SessionIds.Count)
        {
            var ended = State.SessionIds.Except(live.Select(s => s.Id)).ToList();
            State.SessionIds = live.Select(s => s.Id).ToList();
            if (save)
            {
                await user.WriteStateAsync();
            }

            await Task.WhenAll(ended.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).EraseAsync()));
        }

        return live;
    }

    public async Task RevokeSessionAsync(string sessionId)
    {
        if (!State.SessionIds.Contains(sessionId))
        {
            throw WgException.NotFound("No such session.");
        }

        // Revoked is over: nothing about the session is kept (EraseAsync revokes first, announcing it).
        await GrainFactory.GetGrain<ISessionGrain>(sessionId).EraseAsync();
        State.SessionIds.Remove(sessionId);
        await user.WriteStateAsync();
        await PublishAsync(SecurityEventKind.SessionRevoked, sessionId);
    }

    public Task<int> RevokeOtherSessionsAsync(string keepSessionId) => RevokeSessionsAsync(keepSessionId);

    public async Task<TotpSetup> BeginTotpSetupAsync(string currentPassword)
    {
        EnsureRegistered();
        if (State.TotpEnabled)
        {
            throw WgException.BadInput("Two-factor authentication is already on; turn it off first.");
        }

        // A stolen session must not bind the account to the thief's authenticator.
        await EnsurePasswordAsync(currentPassword);

        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        State.PendingTotpSecretCiphertext = ProtectTotp(secret);
        await user.WriteStateAsync();
        var issuer = Uri.EscapeDataString(options.Value.Issuer);
        var label = $"{issuer}:{Uri.EscapeDataString(State.Username)}";
        return new TotpSetup(secret, $"otpauth://totp/{label}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30");
    }

    public async Task<IReadOnlyList<string>> ConfirmTotpAsync(string code)
    {
        EnsureRegistered();
        if (State.TotpEnabled)
        {
            throw WgException.BadInput("Two-factor authentication is already on.");
        }

        if (State.PendingTotpSecretCiphertext is not { } pending)
        {
            throw WgException.BadInput("Call enableTotp first.");
        }

        if (!TryMatchTotp(UnprotectTotp(pending), code, out var step))
        {
            throw WgException.BadInput("Wrong code; check the authenticator's clock.", "code");
        }

        var recoveryCodes = Enumerable.Range(0, 10).Select(_ => Secrets.NewRecoveryCode()).ToList();
        State.TotpSecretCiphertext = pending;
        State.PendingTotpSecretCiphertext = null;
        State.TotpEnabled = true;
        State.LastTotpStep = step;
        State.RecoveryCodeHashes = recoveryCodes.Select(Secrets.Hash).ToList();
        await user.WriteStateAsync();
        await PublishAsync(SecurityEventKind.TotpEnabled, null);
        await NotifyAsync(SecurityNoticeKind.TotpEnabled, null);
        return recoveryCodes;
    }

    public async Task DisableTotpAsync(string code)
    {
        EnsureRegistered();
        if (!State.TotpEnabled)
        {
            throw WgException.BadInput("Two-factor authentication is not on.");
        }

        if (!AcceptSecondFactor(code))
        {
            throw WgException.BadInput("Wrong or already used two-factor code.", "code");
        }

        State.TotpEnabled = false;
        State.TotpSecretCiphertext = null;
        State.RecoveryCodeHashes = [];
        await user.WriteStateAsync();
        await PublishAsync(SecurityEventKind.TotpDisabled, null);
        await NotifyAsync(SecurityNoticeKind.TotpDisabled, null);
    }

    public Task<ChatIdentity?> GetChatIdentityAsync() => Task.FromResult(State.Registered && State.DeactivatedAt is null
        ? new ChatIdentity(UserId, State.Username, State.ChatColor ?? ChatColors.Default(State.Username))
        : null);

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

    /// <summary>The one check of the current password, for every change that asks for it.</summary>
    private async Task EnsurePasswordAsync(string? currentPassword)
    {
        if (!await hasher.VerifyAsync(currentPassword ?? string.Empty, State.PasswordHash))
        {
            throw WgException.BadInput("The current password is wrong.", "currentPassword");
        }
    }

    /// <summary>
    /// Proof, beyond the session, that the account's owner is at the keyboard: the current
    /// password, or on an account with 2FA on a fresh authenticator (or recovery) code instead.
    /// Either is refused with <c>BAD_USER_INPUT</c> on the field that was wrong.
    /// </summary>
    private async Task ReauthenticateAsync(string? currentPassword, string? totpCode)
    {
        if (!string.IsNullOrEmpty(currentPassword))
        {
            await EnsurePasswordAsync(currentPassword);
            return;
        }

        if (State.TotpEnabled && !string.IsNullOrWhiteSpace(totpCode))
        {
            if (!AcceptSecondFactor(totpCode))
            {
                throw WgException.BadInput("Wrong or already used two-factor code.", "totpCode");
            }

            // Used up now, even if the change itself is then refused: a code works once.
            await user.WriteStateAsync();
            return;
        }

        throw WgException.BadInput(
            State.TotpEnabled ? "Enter your current password or a two-factor code." : "Enter your current password.", "currentPassword");
    }

    /// <summary>Accepts a fresh TOTP code or an unused recovery code, consuming it; the caller persists.</summary>
    private bool AcceptSecondFactor(string code)
    {
        code = code.Trim();
        if (State.TotpSecretCiphertext is { } secret && code.Length == 6 && code.All(char.IsAsciiDigit))
        {
            if (TryMatchTotp(UnprotectTotp(secret), code, out var step) && step > State.LastTotpStep)
            {
                State.LastTotpStep = step;
                return true;
            }

            return false;
        }

        var hash = Secrets.Hash(code.ToLowerInvariant());
        return State.RecoveryCodeHashes.Remove(hash);
    }

    private bool TryMatchTotp(string secret, string code, out long step)
    {
        var totp = new Totp(Base32Encoding.ToBytes(secret), timeCorrection: new TimeCorrection(clock.GetUtcNow().UtcDateTime));
        // One step either side forgives a phone clock that is up to 30 s off.
        return totp.VerifyTotp(code.Trim(), out step, new VerificationWindow(previous: 1, future: 1));
    }

    private byte[] ProtectTotp(string secret) => protector.Protect(SecretKind.TotpSecret, UserId, secret);

    private string UnprotectTotp(byte[] ciphertext) => protector.Unprotect(SecretKind.TotpSecret, UserId, ciphertext);

    private async Task<int> RevokeSessionsAsync(string? keep)
    {
        var revoke = State.SessionIds.Where(id => id != keep).ToList();
        await Task.WhenAll(revoke.Select(id => GrainFactory.GetGrain<ISessionGrain>(id).EraseAsync()));
        State.SessionIds.RemoveAll(revoke.Contains);
        await user.WriteStateAsync();
        return revoke.Count;
    }

    private string NewEmailCode()
    {
        var code = Secrets.NewNumericCode();
        State.EmailCodeHash = Secrets.Hash(code);
        State.EmailCodeExpiresAt = clock.GetUtcNow() + options.Value.EmailCodeLifetime;
        State.EmailCodeAttempts = 0;
        return code;
    }

    private void EnsureRegistered()
    {
        if (!State.Registered)
        {
            throw WgException.NotFound("No such account.");
        }
    }

    private UserProfile Profile() =>
        new(UserId, State.Username, State.Email, State.EmailVerified, State.TotpEnabled, State.CreatedAt);

    private Task PublishAsync(SecurityEventKind kind, string? sessionId) =>
        this.GetStreamProvider(StreamNames.Provider)
            .GetStream<SecurityEvent>(StreamId.Create(StreamNames.AccountEvents, UserId))
            .OnNextAsync(new SecurityEvent(UserId, kind, sessionId, clock.GetUtcNow()));

    /// <summary>
    /// Hands a security notice to the notifications pipeline (in-app, e-mail, Telegram). The change
    /// itself is already durable; if the notice cannot be recorded it is logged, not thrown.
    /// </summary>
    private async Task NotifyAsync(SecurityNoticeKind kind, string? detail)
    {
        try
        {
            await GrainFactory.GetGrain<INotificationDispatchGrain>(0).PublishAsync(new SecurityNoticeEvent(clock.GetUtcNow(), UserId, kind, detail));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotifyFailed(e, UserId, kind);
        }
    }

    private static string? Describe(ClientInfo client)
    {
        var agent = client.UserAgent is { Length: > 120 } userAgent ? userAgent[..120] : client.UserAgent;
        var parts = new[] { client.IpAddress, agent }.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        return parts.Length == 0 ? null : string.Join(", ", parts);
    }

    /// <summary>
    /// The account change is already durable; a mail server that is down must not undo it. The
    /// user can ask for the e-mail again (the notifications outbox will retry it for them later).
    /// </summary>
    private async Task TrySendAsync(Func<Task> send)
    {
        try
        {
            await send();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogMailFailed(e, UserId);
        }
    }

    private static string NormalizeLanguage(string? language) =>
        language is not null && language.StartsWith("uk", StringComparison.OrdinalIgnoreCase) ? "uk" : "en";

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId}: a plain TOTP secret in stored state was encrypted")]
    private partial void LogTotpSecretEncrypted(Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: the registry's claim could not be confirmed or released; left pending")]
    private partial void LogConfirmFailed(Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Released the username and e-mail claimed by {UserId}, a registration that never completed")]
    private partial void LogAbandonedClaimReleased(Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId}: a username or e-mail change cut short could not be finished yet")]
    private partial void LogPendingChangeFailed(Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send account e-mail for user {UserId}")]
    private partial void LogMailFailed(Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the {Kind} security notice for user {UserId}")]
    private partial void LogNotifyFailed(Exception exception, Guid userId, SecurityNoticeKind kind);
}
