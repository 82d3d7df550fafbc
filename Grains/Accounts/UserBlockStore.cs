using Npgsql;
using WgStream.GrainInterfaces.Accounts;

namespace WgStream.Grains.Accounts;

/// <summary>The <c>user_blocks</c> table.</summary>
public sealed class UserBlockStore(NpgsqlDataSource dataSource)
{
    /// <summary>Everyone the user has blocked, with when.</summary>
    public async Task<IReadOnlyList<UserBlock>> ListAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("SELECT blocked_user_id, created_at FROM user_blocks WHERE user_id = @user");
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync();
        var blocks = new List<UserBlock>();
        while (await reader.ReadAsync())
        {
            blocks.Add(new UserBlock(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(1)));
        }

        return blocks;
    }

    /// <summary>Stores the block; an existing one keeps its time. Returns the block as stored.</summary>
    public async Task<UserBlock> InsertAsync(Guid userId, Guid blockedUserId, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO user_blocks (user_id, blocked_user_id, created_at) VALUES (@user, @blocked, @at)
            ON CONFLICT (user_id, blocked_user_id) DO UPDATE SET created_at = user_blocks.created_at
            RETURNING created_at
            """);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("blocked", blockedUserId);
        command.Parameters.AddWithValue("at", at);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new UserBlock(blockedUserId, reader.GetFieldValue<DateTimeOffset>(0));
    }

    public async Task DeleteAsync(Guid userId, Guid blockedUserId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM user_blocks WHERE user_id = @user AND blocked_user_id = @blocked");
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("blocked", blockedUserId);
        await command.ExecuteNonQueryAsync();
    }
}
