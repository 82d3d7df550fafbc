namespace WgStream.GrainInterfaces.Accounts;

/// <summary>What happened to an account's security, published on the user's account stream.</summary>
public enum SecurityEventKind
{
    NewLogin,
    SessionRevoked,
    PasswordChanged,
    TotpEnabled,
    TotpDisabled,
    EmailVerified,
    EmailChanged,
    UsernameChanged,
    AccountDeactivated,
}

[GenerateSerializer, Immutable]
public sealed record SecurityEvent(Guid UserId, SecurityEventKind Kind, string? SessionId, DateTimeOffset At);

/// <summary>Published cluster-wide when a session ends, so every Api node can close its sockets.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionRevoked(Guid UserId, string SessionId);
