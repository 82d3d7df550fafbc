using Npgsql;

namespace WgStream.Grains.Notifications;

/// <summary><c>telegram_links</c> (one chat per account, one account per chat) and the one-time <c>telegram_link_tokens</c>.</summary>
public sealed class TelegramLinkStore(NpgsqlDataSource dataSource)
{
    /// <summary>Stores a new token for the user, replacing any earlier one, and sweeps expired tokens.</summary>
    public async Task SaveTokenAsync(Guid userId, string tokenHash, DateTimeOffset expiresAt)
    {
        await using var batch = dataSource.CreateBatch();
        var sweep = new NpgsqlBatchCommand("DELETE FROM telegram_link_tokens WHERE user_id = @user OR expires_at < now()");
        sweep.Parameters.AddWithValue("user", userId);
        var insert = new NpgsqlBatchCommand("INSERT INTO telegram_link_tokens (token_hash, user_id, expires_at) VALUES (@hash, @user, @expires)");
        insert.Parameters.AddWithValue("hash", tokenHash);
        insert.Parameters.AddWithValue("user", userId);
        insert.Parameters.AddWithValue("expires", expiresAt.ToUniversalTime());
        batch.BatchCommands.Add(sweep);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>Uses up a token: the user it was for if it was still valid, else null. A token works once.</summary>
    public async Task<Guid?> ConsumeTokenAsync(string tokenHash)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM telegram_link_tokens WHERE token_hash = @hash RETURNING user_id, expires_at > now()");
        command.Parameters.AddWithValue("hash", tokenHash);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() && reader.GetBoolean(1) ? reader.GetGuid(0) : null;
    }

    /// <summary>Links the chat to the user; the chat's or the user's previous link (if any) ends.</summary>
    public async Task LinkAsync(Guid userId, long chatId, string? telegramUsername)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var delete = new NpgsqlCommand("DELETE FROM telegram_links WHERE user_id = @user OR chat_id = @chat", connection, transaction))
        {
            delete.Parameters.AddWithValue("user", userId);
            delete.Parameters.AddWithValue("chat", chatId);
            await delete.ExecuteNonQueryAsync();
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO telegram_links (user_id, chat_id, telegram_username) VALUES (@user, @chat, @name)", connection, transaction))
        {
            insert.Parameters.AddWithValue("user", userId);
            insert.Parameters.AddWithValue("chat", chatId);
            insert.Parameters.AddWithValue("name", (object?)telegramUsername?[..Math.Min(telegramUsername.Length, 64)] ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    public async Task<Guid?> FindUserAsync(long chatId)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id FROM telegram_links WHERE chat_id = @chat");
        command.Parameters.AddWithValue("chat", chatId);
        return await command.ExecuteScalarAsync() as Guid?;
    }

    public async Task<bool> IsLinkedAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM telegram_links WHERE user_id = @user)");
        command.Parameters.AddWithValue("user", userId);
        return await command.ExecuteScalarAsync() is true;
    }

    /// <summary>The user the chat was linked to, or null if it was not.</summary>
    public async Task<Guid?> UnlinkChatAsync(long chatId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM telegram_links WHERE chat_id = @chat RETURNING user_id");
        command.Parameters.AddWithValue("chat", chatId);
        return await command.ExecuteScalarAsync() as Guid?;
    }

    public async Task<bool> UnlinkUserAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM telegram_links WHERE user_id = @user");
        command.Parameters.AddWithValue("user", userId);
        return await command.ExecuteNonQueryAsync() > 0;
    }
}
