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
/// password was right but the account needs a TOTP code first.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoginResult(string? Token, string? SessionId, UserProfile? User, bool TotpRequired);

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
