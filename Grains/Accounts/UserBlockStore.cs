using Npgsql;
using WgStream.GrainInterfaces.Accounts;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Accounts;

/// <summary>The <c>user_blocks</c> table.</summary>
public sealed class UserBlockStore(NpgsqlDataSource dataSource)
{
    /// <summary>Everyone the user has blocked, with when.</summary>
    public async Task<IReadOnlyList<UserBlock>> ListAsync(Guid userId) =>
        await dataSource.Sql("SELECT blocked_user_id, created_at FROM user_blocks WHERE user_id = @user")
            .With("user", userId)
            .ListAsync(r => new UserBlock(r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1)));

    /// <summary>Stores the block; an existing one keeps its time. Returns the block as stored.</summary>
    public async Task<UserBlock> InsertAsync(Guid userId, Guid blockedUserId, DateTimeOffset at)
    {
        var createdAt = await dataSource.Sql("""
            INSERT INTO user_blocks (user_id, blocked_user_id, created_at) VALUES (@user, @blocked, @at)
            ON CONFLICT (user_id, blocked_user_id) DO UPDATE SET created_at = user_blocks.created_at
            RETURNING created_at
            """)
            .With("user", userId)
            .With("blocked", blockedUserId)
            .With("at", at)
            .ScalarAsync<DateTimeOffset>();
        return new UserBlock(blockedUserId, createdAt);
    }

    public Task DeleteAsync(Guid userId, Guid blockedUserId) =>
        dataSource.Sql("DELETE FROM user_blocks WHERE user_id = @user AND blocked_user_id = @blocked")
            .With("user", userId)
            .With("blocked", blockedUserId)
            .ExecuteAsync();
}
