using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Chat;

/// <summary>
/// The <c>chat_held_messages</c> table: each room's AutoMod queue. A row is added when a message is
/// held and removed when it is denied or expires; approval removes it in the same transaction that
/// posts the message (<see cref="ChatMessageStore.WriteAsync"/>).
/// </summary>
public sealed class HeldMessageStore(NpgsqlDataSource dataSource)
{
    public Task AddAsync(HeldChatMessage held)
    {
        var message = held.Message;
        return dataSource.Sql("""
            INSERT INTO chat_held_messages (message_id, channel_id, sender_id, username, color, badges, body, fragments, sent_at, category, expires_at, reply)
            VALUES (@id, @channel, @sender, @username, @color, @badges, @body, @fragments::jsonb, @sent_at, @category, @expires_at, @reply::jsonb)
            ON CONFLICT (message_id) DO NOTHING
            """)
            .With("id", message.Id)
            .With("channel", message.ChannelId)
            .With("sender", message.SenderId)
            .With("username", message.Username)
            .With("color", message.Color)
            .With("badges", message.Badges.ToArray())
            .With("body", message.Text)
            .With("fragments", ChatMessageRow.FragmentsJson(message.Fragments))
            .With("sent_at", message.SentAt)
            .With("category", held.Category.ToString())
            .With("expires_at", held.ExpiresAt)
            .With("reply", ChatMessageRow.ReplyJson(message.Reply), NpgsqlDbType.Text)
            .ExecuteAsync();
    }

    /// <summary>
    /// Removes held messages (denied, expired, or their sender banned; ids no longer there are
    /// ignored), recording <paramref name="logged"/> in the same transaction. An <see cref="NpgsqlBatch"/>,
    /// not <see cref="SqlStatement"/>s: the log's insert is the batch command the room's group commit
    /// carries too (<see cref="ModerationLogStore.InsertCommand"/>), and both go in one round trip.
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
    public Task<List<HeldChatMessage>> ReadAsync(Guid channelId) =>
        dataSource.Sql("""
            SELECT 0::bigint AS seq, message_id, sender_id, username, color, badges, body, fragments, sent_at, reply, category, expires_at
              FROM chat_held_messages
             WHERE channel_id = @channel
             ORDER BY sent_at, message_id
            """)
            .With("channel", channelId)
            .ListAsync(reader =>
            {
                var message = ChatMessageRow.Read(reader, channelId);
                var category = Enum.TryParse<AutoModCategory>(reader.GetString(10), out var parsed) ? parsed : AutoModCategory.Insults;
                return new HeldChatMessage(message, category, reader.GetFieldValue<DateTimeOffset>(11));
            });
}
