using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using WgStream.GrainInterfaces.Accounts;
using WgStream.Grains.Infrastructure.Secrets;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Accounts;

/// <summary>
/// One account, keyed by user id: credentials and 2FA (<c>UserGrain.Credentials.cs</c>), the index
/// of its sessions (<c>UserGrain.Sessions.cs</c>), its profile, username and e-mail
/// (<c>UserGrain.Profile.cs</c>), and its life from registration to erasure (<c>UserGrain.Lifecycle.cs</c>).
/// </summary>
/// <remarks>
/// One grain behind four narrow interfaces, not four grains: the facts are one user's state and
/// they depend on each other (a sign-in reactivates a deactivated account, a ban or a password reset
/// revokes the sessions, a username change asks for the second factor), so one activation stays
/// their one owner and no change needs a call, or a consistency problem, between grains. Orleans
/// resolves each interface to this class because nothing else implements them, and the grain type
/// (<c>user</c>, from the class name) and its stored state are what they were before the split;
/// the repository sets no <c>[Alias]</c> on grain interfaces and nothing stores a reference to one.
/// </remarks>
public sealed partial class UserGrain(
    [PersistentState("user", StorageNames.Default)] IPersistentState<UserState> user,
    AccountStore accounts,
    PasswordHasher hasher,
    AccountMail mail,
    IOptions<AccountOptions> options,
    SecretProtector protector,
    TimeProvider clock,
    ILogger<UserGrain> logger) : Grain
{
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

    private Task NotifyAsync(SecurityNoticeKind kind, string? detail) =>
        NotifyAsync(new SecurityNoticeEvent(clock.GetUtcNow(), UserId, kind, detail));

    /// <summary>
    /// Hands a security notice to the notifications pipeline (in-app, e-mail, Telegram). The change
    /// itself is already durable; if the notice cannot be recorded it is logged, not thrown.
    /// </summary>
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send account e-mail for user {UserId}")]
    private partial void LogMailFailed(Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the {Kind} security notice for user {UserId}")]
    private partial void LogNotifyFailed(Exception exception, Guid userId, SecurityNoticeKind kind);
}
