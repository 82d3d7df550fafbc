using Npgsql;

namespace WgStream.Grains.Accounts;

/// <summary>
/// The PostgreSQL table that claims usernames and e-mail addresses for accounts. A grain per name
/// could not answer "which account has this e-mail" across both keys at once; a unique index can.
/// </summary>
public sealed class AccountRegistry(NpgsqlDataSource dataSource)
{
    private const string UniqueViolation = "23505";

    /// <summary>Claims both names for <paramref name="userId"/>; returns which one was taken, if any.</summary>
    public async Task<ClaimResult> ClaimAsync(Guid userId, string username, string email)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO accounts (user_id, username, email) VALUES (@id, @username, @email)");
        command.Parameters.AddWithValue("id", userId);
        command.Parameters.AddWithValue("username", username);
        command.Parameters.AddWithValue("email", email);
        try
        {
            await command.ExecuteNonQueryAsync();
            return ClaimResult.Claimed;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return e.ConstraintName == "accounts_email_key" ? ClaimResult.EmailTaken : ClaimResult.UsernameTaken;
        }
    }

    /// <summary>Finds an account by username or e-mail, case-insensitively.</summary>
    public async Task<Guid?> FindAsync(string login)
    {
        var byEmail = login.Contains('@', StringComparison.Ordinal);
        await using var command = dataSource.CreateCommand(byEmail
            ? "SELECT user_id FROM accounts WHERE lower(email) = lower(@login)"
            : "SELECT user_id FROM accounts WHERE lower(username) = lower(@login)");
        command.Parameters.AddWithValue("login", login);
        return await command.ExecuteScalarAsync() as Guid?;
    }
}

public enum ClaimResult
{
    Claimed,
    UsernameTaken,
    EmailTaken,
}
