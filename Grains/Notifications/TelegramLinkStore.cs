using Npgsql;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Notifications;

/// <summary><c>telegram_links</c> (one chat per account, one account per chat) and the one-time <c>telegram_link_tokens</c>.</summary>
public sealed class TelegramLinkStore(NpgsqlDataSource dataSource)
{
    /// <summary>Stores a new token for the user, replacing any earlier one, and sweeps expired tokens.</summary>
    public async Task SaveTokenAsync(Guid userId, string tokenHash, DateTimeOffset expiresAt)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.Sql("DELETE FROM telegram_link_tokens WHERE user_id = @user OR expires_at < now()", transaction)
            .With("user", userId)
            .ExecuteAsync();
        await connection.Sql("INSERT INTO telegram_link_tokens (token_hash, user_id, expires_at) VALUES (@hash, @user, @expires)", transaction)
            .With("hash", tokenHash)
            .With("user", userId)
            .With("expires", expiresAt.ToUniversalTime())
            .ExecuteAsync();
        await transaction.CommitAsync();
    }

    /// <summary>Uses up a token: the user it was for if it was still valid, else null. A token works once.</summary>
    public async Task<Guid?> ConsumeTokenAsync(string tokenHash)
    {
        var used = await dataSource.Sql("DELETE FROM telegram_link_tokens WHERE token_hash = @hash RETURNING user_id, expires_at > now()")
            .With("hash", tokenHash)
            .FirstOrDefaultAsync<(Guid UserId, bool Valid)?>(reader => (reader.GetGuid(0), reader.GetBoolean(1)));
        return used is { Valid: true } token ? token.UserId : null;
    }

    /// <summary>Links the chat to the user; the chat's or the user's previous link (if any) ends.</summary>
    public async Task LinkAsync(Guid userId, long chatId, string? telegramUsername)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.Sql("DELETE FROM telegram_links WHERE user_id = @user OR chat_id = @chat", transaction)
            .With("user", userId)
            .With("chat", chatId)
            .ExecuteAsync();
        await connection.Sql("INSERT INTO telegram_links (user_id, chat_id, telegram_username) VALUES (@user, @chat, @name)", transaction)
            .With("user", userId)
            .With("chat", chatId)
            .With("name", telegramUsername?[..Math.Min(telegramUsername.Length, 64)])
            .ExecuteAsync();
        await transaction.CommitAsync();
    }

    public Task<Guid?> FindUserAsync(long chatId) =>
        dataSource.Sql("SELECT user_id FROM telegram_links WHERE chat_id = @chat").With("chat", chatId).ScalarAsync<Guid?>();

    public Task<bool> IsLinkedAsync(Guid userId) =>
        dataSource.Sql("SELECT EXISTS (SELECT 1 FROM telegram_links WHERE user_id = @user)").With("user", userId).ScalarAsync<bool>();

    /// <summary>The user the chat was linked to, or null if it was not.</summary>
    public Task<Guid?> UnlinkChatAsync(long chatId) =>
        dataSource.Sql("DELETE FROM telegram_links WHERE chat_id = @chat RETURNING user_id").With("chat", chatId).ScalarAsync<Guid?>();

    public async Task<bool> UnlinkUserAsync(Guid userId) =>
        await dataSource.Sql("DELETE FROM telegram_links WHERE user_id = @user").With("user", userId).ExecuteAsync() > 0;
}
