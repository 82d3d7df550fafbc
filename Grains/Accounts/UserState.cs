namespace WgStream.Grains.Accounts;

[GenerateSerializer]
public sealed class UserState
{
    [Id(0)] public bool Registered { get; set; }

    [Id(1)] public string Username { get; set; } = string.Empty;

    [Id(2)] public string Email { get; set; } = string.Empty;

    [Id(3)] public bool EmailVerified { get; set; }

    [Id(4)] public string PasswordHash { get; set; } = string.Empty;

    [Id(5)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The language e-mails are written in (<c>uk</c> or <c>en</c>).</summary>
    [Id(6)] public string Language { get; set; } = "en";

    /// <summary>
    /// Legacy: the TOTP secret in plain base32, as states written before secrets were encrypted
    /// hold it. Never written now; an activation that finds one encrypts it into
    /// <see cref="TotpSecretCiphertext"/> and clears this.
    /// </summary>
    [Id(7)] public string? TotpSecret { get; set; }

    [Id(8)] public bool TotpEnabled { get; set; }

    /// <summary>Legacy: a plain pending secret (see <see cref="TotpSecret"/>), migrated the same way.</summary>
    [Id(9)] public string? PendingTotpSecret { get; set; }

    /// <summary>The last TOTP time step accepted: a code is never accepted twice.</summary>
    [Id(10)] public long LastTotpStep { get; set; }

    [Id(11)] public List<string> RecoveryCodeHashes { get; set; } = [];

    /// <summary>The per-user session index (the original scanned every key in Redis for this).</summary>
    [Id(12)] public List<string> SessionIds { get; set; } = [];

    [Id(13)] public string? EmailCodeHash { get; set; }

    [Id(14)] public DateTimeOffset EmailCodeExpiresAt { get; set; }

    [Id(15)] public int EmailCodeAttempts { get; set; }

    [Id(16)] public string? ResetTokenHash { get; set; }

    [Id(17)] public DateTimeOffset ResetTokenExpiresAt { get; set; }

    /// <summary>Nickname colour in chat (<c>#RRGGBB</c>); null means the default derived from the username.</summary>
    [Id(18)] public string? ChatColor { get; set; }

    /// <summary>The last successful sign-in: a sign-in is announced as new only when there was one before (not the one that completes registration).</summary>
    [Id(19)] public DateTimeOffset? LastLoginAt { get; set; }

    /// <summary>The TOTP secret, encrypted (<c>SecretProtector</c>, kind <c>TotpSecret</c>, owner the user id).</summary>
    [Id(20)] public byte[]? TotpSecretCiphertext { get; set; }

    /// <summary>A secret handed out by <c>enableTotp</c> but not yet confirmed with a code, encrypted like <see cref="TotpSecretCiphertext"/>.</summary>
    [Id(21)] public byte[]? PendingTotpSecretCiphertext { get; set; }

    // Account lifecycle (rename, deactivation, deletion). Ids from 40 on, clear of other additions.

    /// <summary>The last username change that counted against the cooldown (case-only changes do not).</summary>
    [Id(40)] public DateTimeOffset? UsernameChangedAt { get; set; }

    /// <summary>Set while the account is deactivated: hidden, signed out, and deleted at <see cref="DeletionDueAt"/> unless its owner signs in.</summary>
    [Id(41)] public DateTimeOffset? DeactivatedAt { get; set; }

    [Id(42)] public DateTimeOffset? DeletionDueAt { get; set; }

    /// <summary>The deletion has started (its notice may be out): the account can no longer be reactivated.</summary>
    [Id(43)] public bool Erasing { get; set; }

    /// <summary>Sessions signed out by the deactivation, whose stored data the deletion erases.</summary>
    [Id(44)] public List<string> DeactivatedSessionIds { get; set; } = [];

    /// <summary>
    /// A username change written here before the registry is asked: if the grain stops in between,
    /// its next activation reads the registry and finishes the change (or drops it), so the account
    /// never ends up known by one name in the registry and another here.
    /// </summary>
    [Id(45)] public string? PendingUsername { get; set; }

    /// <summary>An e-mail change in progress, the same way as <see cref="PendingUsername"/>.</summary>
    [Id(46)] public string? PendingEmail { get; set; }

    // Operators' actions. Ids from 60 on.

    /// <summary>The site-wide ban in force (a copy of the <c>site_bans</c> row, which its grain keeps in step): sign-in is refused.</summary>
    [Id(60)] public GrainInterfaces.Accounts.SiteBan? SiteBan { get; set; }
}
