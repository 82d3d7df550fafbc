using Npgsql;
using WgStream.Grains.Channels;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Accounts;

/// <summary>
/// The PostgreSQL table that claims usernames and e-mail addresses for accounts (<c>accounts</c>,
/// with <c>username_reservations</c>). A grain per name could not answer "which account has this
/// e-mail" across both keys at once; a unique index can.
/// </summary>
public sealed class AccountStore(NpgsqlDataSource dataSource, DirectoryReadCache directoryReads)
{
    private const string UniqueViolation = "23505";

    /// <summary>
    /// Claims both names for <paramref name="userId"/>; returns which one was taken, if any. A
    /// username another account gave up recently (see <c>username_reservations</c>) counts as taken.
    /// The claim is pending until <see cref="ConfirmAsync"/> (after the user grain's state is written).
    /// </summary>
    public async Task<ClaimResult> ClaimAsync(Guid userId, string username, string email)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await LockNamesAsync(connection, transaction, username);
        if (await IsReservedForOtherAsync(connection, transaction, userId, username))
        {
            return ClaimResult.UsernameTaken;
        }

        try
        {
            await connection.Sql("INSERT INTO accounts (user_id, username, email) VALUES (@id, @username, @email)", transaction)
                .With("id", userId)
                .With("username", username)
                .With("email", email)
                .ExecuteAsync();
            await transaction.CommitAsync();
            return ClaimResult.Claimed;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return e.ConstraintName == "accounts_email_key" ? ClaimResult.EmailTaken : ClaimResult.UsernameTaken;
        }
    }

    /// <summary>
    /// Moves the account and its channel row to <paramref name="newName"/> in one transaction, and
    /// reserves <paramref name="oldName"/> for this account until <paramref name="reserveOldUntil"/>
    /// (none when null). The unique index decides a race: of two accounts claiming one name at once
    /// exactly one commits. False when the name is taken or reserved for another account.
    /// </summary>
    public async Task<bool> RenameAsync(Guid userId, string oldName, string newName, DateTimeOffset? reserveOldUntil)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await LockNamesAsync(connection, transaction, oldName, newName);
        if (await IsReservedForOtherAsync(connection, transaction, userId, newName))
        {
            return false;
        }

        try
        {
            await connection.Sql("""
                UPDATE accounts SET username = @new WHERE user_id = @id;
                UPDATE channels SET username = @new WHERE channel_id = @id;
                DELETE FROM username_reservations WHERE lower(username) = lower(@new);
                """, transaction)
                .With("id", userId)
                .With("new", newName)
                .ExecuteAsync();

            if (reserveOldUntil is { } until && !string.Equals(oldName, newName, StringComparison.OrdinalIgnoreCase))
            {
                await ReserveAsync(connection, transaction, userId, oldName, until);
            }

            await transaction.CommitAsync();
            directoryReads.Changed();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>Moves the account to a new e-mail address; false when another account has it (ignoring case).</summary>
    public async Task<bool> ChangeEmailAsync(Guid userId, string email)
    {
        try
        {
            await dataSource.Sql("UPDATE accounts SET email = @email WHERE user_id = @id")
                .With("id", userId)
                .With("email", email)
                .ExecuteAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>
    /// Gives up a deleted account's names: its <c>accounts</c> and <c>channels</c> rows go, and the
    /// username stays reserved (for nobody: the account is gone) until <paramref name="reserveUntil"/>.
    /// </summary>
    public async Task ReleaseAsync(Guid userId, string username, DateTimeOffset? reserveUntil)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await LockNamesAsync(connection, transaction, username);
        await connection.Sql("""
            DELETE FROM accounts WHERE user_id = @id;
            DELETE FROM channels WHERE channel_id = @id;
            DELETE FROM username_reservations WHERE user_id = @id;
            """, transaction)
            .With("id", userId)
            .ExecuteAsync();

        if (reserveUntil is { } until && username.Length > 0)
        {
            await ReserveAsync(connection, transaction, userId, username, until);
        }

        await transaction.CommitAsync();
        directoryReads.Changed();
    }

    /// <summary>The user grain's state is written: the claim is no longer pending. Harmless to repeat.</summary>
    public Task ConfirmAsync(Guid userId) =>
        dataSource.Sql("UPDATE accounts SET confirmed_at = now() WHERE user_id = @id AND confirmed_at IS NULL")
            .With("id", userId)
            .ExecuteAsync();

    /// <summary>Accounts whose pending claim on this username or e-mail is older than <paramref name="olderThan"/>: maybe abandoned.</summary>
    public async Task<IReadOnlyList<Guid>> StalePendingClaimsAsync(string username, string email, TimeSpan olderThan) =>
        await dataSource.Sql("""
            SELECT user_id FROM accounts
             WHERE (lower(username) = lower(@username) OR lower(email) = lower(@email))
               AND confirmed_at IS NULL AND created_at < now() - @age
            """)
            .With("username", username)
            .With("email", email)
            .With("age", olderThan)
            .ListAsync(r => r.GetGuid(0));

    /// <summary>Deletes the account's claim if it is still pending (never a confirmed one); true if it did.</summary>
    public async Task<bool> ReleasePendingAsync(Guid userId) =>
        await dataSource.Sql("DELETE FROM accounts WHERE user_id = @id AND confirmed_at IS NULL")
            .With("id", userId)
            .ExecuteAsync() > 0;

    /// <summary>The names the store holds for the account, or null when it holds none.</summary>
    public Task<(string Username, string Email)?> GetClaimAsync(Guid userId) =>
        dataSource.Sql("SELECT username, email FROM accounts WHERE user_id = @id")
            .With("id", userId)
            .FirstOrDefaultAsync<(string Username, string Email)?>(r => (r.GetString(0), r.GetString(1)));

    /// <summary>Finds an account by username or e-mail, case-insensitively.</summary>
    public Task<Guid?> FindAsync(string login)
    {
        var byEmail = login.Contains('@', StringComparison.Ordinal);
        return dataSource.Sql(byEmail
                ? "SELECT user_id FROM accounts WHERE lower(email) = lower(@login)"
                : "SELECT user_id FROM accounts WHERE lower(username) = lower(@login)")
            .With("login", login)
            .ScalarAsync<Guid?>();
    }

    /// <summary>
    /// Serializes every claim of these names (registrations, renames, releases) for the rest of the
    /// transaction, so a reservation check and the claim after it cannot interleave with another.
    /// Locks are taken in one order, so two renames that swap names cannot deadlock.
    /// </summary>
    private static async Task LockNamesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, params string[] names)
    {
        foreach (var name in names.Select(n => n.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal))
        {
            await connection.Sql("SELECT pg_advisory_xact_lock(hashtextextended('username:' || @name, 0))", transaction)
                .With("name", name)
                .ExecuteAsync();
        }
    }

    private static async Task<bool> IsReservedForOtherAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string username) =>
        await connection.Sql(
                "SELECT EXISTS (SELECT 1 FROM username_reservations WHERE lower(username) = lower(@name) AND user_id <> @id AND reserved_until > now())",
                transaction)
            .With("name", username)
            .With("id", userId)
            .ScalarAsync<bool>();

    private static Task ReserveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string username, DateTimeOffset until) =>
        connection.Sql("""
            INSERT INTO username_reservations (username, user_id, reserved_until) VALUES (@name, @id, @until)
            ON CONFLICT ((lower(username))) DO UPDATE SET username = excluded.username, user_id = excluded.user_id, reserved_until = excluded.reserved_until
            """, transaction)
            .With("name", username)
            .With("id", userId)
            .With("until", until.ToUniversalTime())
            .ExecuteAsync();
}

public enum ClaimResult
{
    Claimed,
    UsernameTaken,
    EmailTaken,
}
