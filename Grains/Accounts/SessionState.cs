namespace WgStream.Grains.Accounts;

[GenerateSerializer]
public sealed class SessionState
{
    [Id(0)] public Guid UserId { get; set; }

    [Id(1)] public string SecretHash { get; set; } = string.Empty;

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public DateTimeOffset LastSeenAt { get; set; }

    [Id(4)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(5)] public string? IpAddress { get; set; }

    [Id(6)] public string? UserAgent { get; set; }

    [Id(7)] public bool Revoked { get; set; }
}
