using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// The <c>chat_held_messages</c> table: each room's AutoMod queue. A row is added when a message is
/// held and removed when it is denied or expires; approval removes it in the same transaction that
/// posts the message (<see cref="ChatMessageStore.WriteAsync"/>).
/// </summary>
public sealed class HeldMessageStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task AddAsync(HeldChatMessage held)
    {
        var message = held.Message;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO chat_held_messages (message_id, channel_id, sender_id, username, color, badges, body, fragments, sent_at, category, expires_at, reply)
            VALUES (@id, @channel, @sender, @username, @color, @badges, @body, @fragments::jsonb, @sent_at, @category, @expires_at, @reply::jsonb)
            ON CONFLICT (message_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", message.Id);
        command.Parameters.AddWithValue("channel", message.ChannelId);
        command.Parameters.AddWithValue("sender", message.SenderId);
        command.Parameters.AddWithValue("username", message.Username);
        command.Parameters.AddWithValue("color", message.Color);
        command.Parameters.AddWithValue("badges", message.Badges.ToArray());
        command.Parameters.AddWithValue("body", message.Text);
        command.Parameters.AddWithValue("fragments", JsonSerializer.Serialize(message.Fragments, Json));
        command.Parameters.AddWithValue("sent_at", message.SentAt);
        command.Parameters.AddWithValue("category", held.Category.ToString());
        command.Parameters.AddWithValue("expires_at", held.ExpiresAt);
        command.Parameters.Add(new NpgsqlParameter("reply", NpgsqlDbType.Text) { Value = message.Reply is null ? DBNull.Value : JsonSerializer.Serialize(message.Reply, Json) });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Removes held messages (denied, expired, or their sender banned; ids no longer there are
    /// ignored), recording <paramref name="logged"/> in the same transaction.
    /// </summary>
    public async Task RemoveAsync(Guid channelId, IReadOnlyCollection<Guid> messageIds, IReadOnlyList<ModerationLogEntry>? logged = null)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        var remove = new NpgsqlBatchCommand("DELETE FROM chat_held_messages WHERE channel_id = @channel AND message_id = ANY(@ids)");
        remove.Parameters.AddWithValue("channel", channelId);
        remove.Parameters.AddWithValue("ids", messageIds.ToArray());
        batch.BatchCommands.Add(remove);
        if (logged is { Count: > 0 })
        {
            batch.BatchCommands.Add(ModerationLogStore.InsertCommand(channelId, logged));
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>The room's queue, oldest first (read on activation: the queue outlives the silo that held it).</summary>
    public async Task<List<HeldChatMessage>> ReadAsync(Guid channelId)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT message_id, sender_id, username, color, badges, body, fragments, sent_at, category, expires_at, reply
              FROM chat_held_messages
             WHERE channel_id = @channel
             ORDER BY sent_at, message_id
            """);
        command.Parameters.AddWithValue("channel", channelId);
        var held = new List<HeldChatMessage>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var message = new ChatMessage(
                reader.GetGuid(0),
                0,
                channelId,
                reader.GetGuid(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetFieldValue<string[]>(4),
                reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(5),
                JsonSerializer.Deserialize<List<ChatFragment>>(reader.GetString(6), Json) ?? [],
                reader.IsDBNull(10) ? null : JsonSerializer.Deserialize<ChatReply>(reader.GetString(10), Json));
            var category = Enum.TryParse<AutoModCategory>(reader.GetString(8), out var parsed) ? parsed : AutoModCategory.Insults;
            held.Add(new HeldChatMessage(message, category, reader.GetFieldValue<DateTimeOffset>(9)));
        }

        return held;
    }
}
