namespace WgStream.GrainInterfaces.Accounts;

/// <summary>An account banned from the whole site by an operator (<paramref name="BannedBy"/>), with the reason they gave.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteBan(Guid UserId, string Reason, Guid BannedBy, DateTimeOffset BannedAt);

/// <summary>Published on the <c>site-bans</c> stream after a ban or unban is durable: each silo updates its in-memory set.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteBanChanged(Guid UserId, bool Banned);

public enum SiteBanAction
{
    Ban,
    Unban,
}

/// <summary>One line of the site-ban audit: who banned or unbanned whom, when and why.</summary>
[GenerateSerializer, Immutable]
public sealed record SiteBanAuditEntry(long Id, Guid UserId, SiteBanAction Action, Guid ActorId, string? Reason, DateTimeOffset At);
