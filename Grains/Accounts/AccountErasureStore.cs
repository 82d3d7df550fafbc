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
    public async Task<long?> TelegramChatAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT t.chat_id FROM telegram_links t
              LEFT JOIN notification_settings s ON s.user_id = t.user_id AND s.kind = 'Security'
             WHERE t.user_id = @u AND COALESCE(s.telegram, true)
            """);
        command.Parameters.AddWithValue("u", userId);
        return await command.ExecuteScalarAsync() as long?;
    }

    /// <summary>The channels the user follows.</summary>
    public async Task<IReadOnlyList<Guid>> FollowingAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("SELECT channel_id FROM follows WHERE follower_id = @u");
        command.Parameters.AddWithValue("u", userId);
        return await command.ReadGuidsAsync();
    }

    /// <summary>Drops a follow directly (of a channel that no longer exists, so no count is kept for it).</summary>
    public async Task DeleteFollowAsync(Guid channelId, Guid followerId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM follows WHERE channel_id = @c AND follower_id = @f");
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("f", followerId);
        await command.ExecuteNonQueryAsync();
    }

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
        var chatChannels = new List<Guid>();
        await using (var rooms = new NpgsqlCommand("SELECT DISTINCT channel_id FROM chat_messages WHERE sender_id = @u", connection, transaction))
        {
            rooms.Parameters.AddWithValue("u", userId);
            await using var reader = await rooms.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                chatChannels.Add(reader.GetGuid(0));
            }
        }

        await using (var erase = new NpgsqlCommand("""
            DELETE FROM notification_jobs WHERE kind = 'Security' AND payload->>'userId' = @id;
            DELETE FROM notifications WHERE user_id = @u;
            UPDATE notification_jobs SET content = content - 'actorUsername' WHERE content->>'actorId' = @id;
            DELETE FROM notification_settings WHERE user_id = @u;
            DELETE FROM telegram_links WHERE user_id = @u;
            DELETE FROM telegram_link_tokens WHERE user_id = @u;
            DELETE FROM stream_keys WHERE channel_id = @u;
            DELETE FROM user_blocks WHERE user_id = @u OR blocked_user_id = @u;
            UPDATE chat_messages SET username = @name, color = @color WHERE sender_id = @u;
            """, connection, transaction))
        {
            erase.Parameters.AddWithValue("u", userId);
            erase.Parameters.AddWithValue("id", userId.ToString());
            erase.Parameters.AddWithValue("name", DeletedUsername);
            erase.Parameters.AddWithValue("color", DeletedColor);
            await erase.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
        return chatChannels;
    }
}
