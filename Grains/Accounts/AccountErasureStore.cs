using WgStream.Grains.Infrastructure.Database;
using Npgsql;

namespace WgStream.Grains.Accounts;

/// <summary>
/// The SQL side of deleting an account: rows in other features' tables that hold the account's
/// personal data are deleted, or detached from it where they must stay (chat history, the money ledger).
/// </summary>
public sealed class AccountErasureStore(NpgsqlDataSource dataSource)
{
    /// <summary>What chat shows instead of a deleted account's name: not a valid username, so nobody can register it.</summary>
    public const string DeletedUsername = "deleted-user";

    public const string DeletedColor = "#808080";

    /// <summary>The Telegram chat a notice to the user goes to: linked, and security notices not turned off there.</summary>
    public Task<long?> TelegramChatAsync(Guid userId) =>
        dataSource.Sql("""
            SELECT t.chat_id FROM telegram_links t
              LEFT JOIN notification_settings s ON s.user_id = t.user_id AND s.kind = 'Security'
             WHERE t.user_id = @u AND COALESCE(s.telegram, true)
            """)
            .With("u", userId)
            .ScalarAsync<long?>();

    /// <summary>The channels the user follows.</summary>
    public async Task<IReadOnlyList<Guid>> FollowingAsync(Guid userId) =>
        await dataSource.Sql("SELECT channel_id FROM follows WHERE follower_id = @u")
            .With("u", userId)
            .ListAsync(r => r.GetGuid(0));

    /// <summary>Drops a follow directly (of a channel that no longer exists, so no count is kept for it).</summary>
    public Task DeleteFollowAsync(Guid channelId, Guid followerId) =>
        dataSource.Sql("DELETE FROM follows WHERE channel_id = @c AND follower_id = @f")
            .With("c", channelId)
            .With("f", followerId)
            .ExecuteAsync();

    /// <summary>
    /// In one transaction: the user's notifications, notification settings, Telegram link and link
    /// tokens, stream key and blocks (theirs and others' of them) are deleted; their name is removed from other people's notifications
    /// (who followed or sponsored them); their chat messages stay, shown as from
    /// <see cref="DeletedUsername"/>. Returns the channels whose chat holds messages of theirs.
    /// Sponsorships and transactions stay for accounting: they name the account only by its id,
    /// which nothing maps to a person any more.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> EraseRecordsAsync(Guid userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var chatChannels = await connection.Sql("SELECT DISTINCT channel_id FROM chat_messages WHERE sender_id = @u", transaction)
            .With("u", userId)
            .ListAsync(r => r.GetGuid(0));

        await connection.Sql("""
            DELETE FROM notification_jobs WHERE kind = 'Security' AND payload->>'userId' = @id;
            DELETE FROM notifications WHERE user_id = @u;
            UPDATE notification_jobs SET content = content - 'actorUsername' WHERE content->>'actorId' = @id;
            DELETE FROM notification_settings WHERE user_id = @u;
            DELETE FROM telegram_links WHERE user_id = @u;
            DELETE FROM telegram_link_tokens WHERE user_id = @u;
            DELETE FROM stream_keys WHERE channel_id = @u;
            DELETE FROM user_blocks WHERE user_id = @u OR blocked_user_id = @u;
            UPDATE chat_messages SET username = @name, color = @color WHERE sender_id = @u;
            """, transaction)
            .With("u", userId)
            .With("id", userId.ToString())
            .With("name", DeletedUsername)
            .With("color", DeletedColor)
            .ExecuteAsync();

        await transaction.CommitAsync();
        return chatChannels;
    }
}
