namespace WgStream.GrainInterfaces.Accounts;

[GenerateSerializer, Immutable]
public sealed record RegisterCommand(string Username, string Email, string Password, string Language);

[GenerateSerializer, Immutable]
public sealed record LoginCommand(string Password, string? TotpCode, ClientInfo Client);

[GenerateSerializer, Immutable]
public sealed record ClientInfo(string? IpAddress, string? UserAgent);

[GenerateSerializer, Immutable]
public sealed record UserProfile(
    Guid Id,
    string Username,
    string Email,
    bool EmailVerified,
    bool TotpEnabled,
    DateTimeOffset CreatedAt);

/// <summary>
/// The outcome of a password check: a token when signed in, or <see cref="TotpRequired"/> when the
/// password was right but the account needs a TOTP code first. <see cref="Reactivated"/> says this
/// sign-in ended a deactivation (the account's deletion was cancelled).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoginResult(string? Token, string? SessionId, UserProfile? User, bool TotpRequired, bool Reactivated = false);

[GenerateSerializer, Immutable]
public sealed record TotpSetup(string Secret, string OtpauthUri);

[GenerateSerializer, Immutable]
public sealed record OpenSessionCommand(Guid UserId, string SecretHash, ClientInfo Client);

[GenerateSerializer, Immutable]
public sealed record SessionPrincipal(Guid UserId, string SessionId);

[GenerateSerializer, Immutable]
public sealed record SessionInfo(
    string Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    string? IpAddress,
    string? UserAgent);

/// <summary>A deactivated account: hidden and signed out until <see cref="DeletionAt"/>, when it is erased unless its owner signs in again.</summary>
[GenerateSerializer, Immutable]
public sealed record AccountDeactivation(DateTimeOffset DeactivatedAt, DateTimeOffset DeletionAt);

/// <summary>
/// What the deletion needs from the account before its grain forgets it: where to send the
/// "account deleted" notice and which sessions and names to erase.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AccountErasure(
    string Username,
    string Email,
    bool EmailVerified,
    string Language,
    IReadOnlyList<string> SessionIds);
