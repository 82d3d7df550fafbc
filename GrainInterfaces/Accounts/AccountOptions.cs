namespace WgStream.GrainInterfaces.Accounts;

/// <summary>Bound from the <c>Accounts</c> section.</summary>
public sealed class AccountOptions
{
    public const string Section = "Accounts";

    /// <summary>Shown in authenticator apps and e-mails.</summary>
    public string Issuer { get; set; } = "WG-Stream";

    /// <summary>Where links in e-mails point (the web client).</summary>
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>How long a session lasts from sign-in; the device must sign in again after it.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long an e-mail verification code stays valid.</summary>
    public TimeSpan EmailCodeLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a password reset link stays valid.</summary>
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wrong e-mail codes allowed before the code is void and a new one must be sent.</summary>
    public int EmailCodeMaxAttempts { get; set; } = 5;

    /// <summary>Argon2id cost (OWASP's minimum: 19 MiB, 2 passes, 1 lane).</summary>
    public int Argon2MemoryKiB { get; set; } = 19 * 1024;

    /// <summary>Argon2id passes over memory (see <see cref="Argon2MemoryKiB"/>).</summary>
    public int Argon2Iterations { get; set; } = 2;

    /// <summary>Argon2id lanes (threads per hash).</summary>
    public int Argon2Parallelism { get; set; } = 1;

    /// <summary>How often a username may change (case-only changes are free).</summary>
    public TimeSpan UsernameChangeCooldown { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a username given up by a rename or a deletion stays reserved (zero: released at once).</summary>
    public TimeSpan UsernameReservation { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How old a pending username/e-mail claim (written by a registration before the user grain's
    /// state) must be before another registration may check whether it was abandoned and release
    /// it. Far longer than a registration takes, so a live one is never second-guessed.
    /// </summary>
    public TimeSpan PendingClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a deactivated account waits before it is deleted; signing in meanwhile reactivates it.</summary>
    public TimeSpan DeletionGrace { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How soon a deletion that could not finish (Stripe unreachable, say) is tried again: the
    /// deletion reminder's period. Orleans' minimum reminder period, one minute, is the floor.
    /// </summary>
    public TimeSpan DeletionRetryPeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many users one account may block. The whole list is held in memory by the account's
    /// blocks grain and by every Api node the account chats through, so it is bounded.
    /// </summary>
    public int MaxBlockedUsers { get; set; } = 1000;
}
