using OtpNet;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Infrastructure.Secrets;

namespace WgStream.Grains.Accounts;

/// <summary>Sign-in, the password and its reset, TOTP and recovery codes, and the re-authentication other changes ask for.</summary>
public sealed partial class UserGrain : IUserCredentialsGrain
{
    private const string WrongCredentials = "Wrong login or password.";

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

    private static string? Describe(ClientInfo client)
    {
        var agent = client.UserAgent is { Length: > 120 } userAgent ? userAgent[..120] : client.UserAgent;
        var parts = new[] { client.IpAddress, agent }.Where(p => !string.IsNullOrWhiteSpace(p)).ToArray();
        return parts.Length == 0 ? null : string.Join(", ", parts);
    }
}
