using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Chat;

/// <summary>The <c>chat_messages</c> table: batched inserts and deletions in one transaction, history reads.</summary>
public sealed class ChatMessageStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores new messages, marks deletions and records the batch's last sequence number, all or
    /// nothing. <paramref name="approvedHeld"/> are added messages that AutoMod held: their queue rows
    /// go in the same transaction, so an approval cannot both post a message and leave it held.
    /// This is the room's group commit, on the hot path of every message: an <see cref="NpgsqlBatch"/>
    /// rather than <see cref="SqlStatement"/>s, so the whole write is one round trip (data-access.md).
    /// </summary>
    public async Task WriteAsync(
        Guid channelId,
        long lastSeq,
        IReadOnlyList<ChatMessage> added,
        IReadOnlyList<Guid> deletedMessages,
        IReadOnlyList<Guid> purgedSenders,
        IReadOnlyList<Guid> approvedHeld,
        IReadOnlyList<ModerationLogEntry> logged)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var batch = new NpgsqlBatch(connection, transaction);
        var sequence = new NpgsqlBatchCommand(
            "INSERT INTO chat_rooms (channel_id, last_seq) VALUES (@channel, @seq) "
            + "ON CONFLICT (channel_id) DO UPDATE SET last_seq = greatest(chat_rooms.last_seq, excluded.last_seq)");
        sequence.Parameters.AddWithValue("channel", channelId);
        sequence.Parameters.AddWithValue("seq", lastSeq);
        batch.BatchCommands.Add(sequence);
        if (added.Count > 0)
        {
            // One statement for the whole batch: unnest of parallel arrays.
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO chat_messages (channel_id, seq, message_id, sender_id, username, color, badges, body, fragments, sent_at, reply)
                SELECT @channel, m.seq, m.id, m.sender, m.username, m.color, string_to_array(m.badges, ','), m.body, m.fragments::jsonb, m.sent_at, m.reply::jsonb
                  FROM unnest(@seq, @id, @sender, @username, @color, @badges, @body, @fragments, @sent_at, @reply)
                       AS m(seq, id, sender, username, color, badges, body, fragments, sent_at, reply)
                """);
            insert.Parameters.AddWithValue("channel", channelId);
            insert.Parameters.AddWithValue("seq", added.Select(m => m.Seq).ToArray());
            insert.Parameters.AddWithValue("id", added.Select(m => m.Id).ToArray());
            insert.Parameters.AddWithValue("sender", added.Select(m => m.SenderId).ToArray());
            insert.Parameters.AddWithValue("username", added.Select(m => m.Username).ToArray());
            insert.Parameters.AddWithValue("color", added.Select(m => m.Color).ToArray());
            insert.Parameters.AddWithValue("badges", added.Select(m => string.Join(',', m.Badges)).ToArray());
            insert.Parameters.AddWithValue("body", added.Select(m => m.Text).ToArray());
            insert.Parameters.AddWithValue("fragments", added.Select(m => ChatMessageRow.FragmentsJson(m.Fragments)).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("sent_at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = added.Select(m => m.SentAt).ToArray() });
            insert.Parameters.Add(new NpgsqlParameter("reply", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = added.Select(m => ChatMessageRow.ReplyJson(m.Reply)).ToArray() });
            batch.BatchCommands.Add(insert);
        }

        if (deletedMessages.Count > 0)
        {
            var delete = new NpgsqlBatchCommand(
                "UPDATE chat_messages SET deleted_at = now() WHERE channel_id = @channel AND message_id = ANY(@ids) AND deleted_at IS NULL");
            delete.Parameters.AddWithValue("channel", channelId);
            delete.Parameters.AddWithValue("ids", deletedMessages.ToArray());
            batch.BatchCommands.Add(delete);
        }

        if (purgedSenders.Count > 0)
        {
            var purge = new NpgsqlBatchCommand(
                "UPDATE chat_messages SET deleted_at = now() WHERE channel_id = @channel AND sender_id = ANY(@senders) AND deleted_at IS NULL AND sent_at > now() - interval '1 day'");
            purge.Parameters.AddWithValue("channel", channelId);
            purge.Parameters.AddWithValue("senders", purgedSenders.ToArray());
            batch.BatchCommands.Add(purge);
        }

        if (approvedHeld.Count > 0)
        {
            var release = new NpgsqlBatchCommand("DELETE FROM chat_held_messages WHERE channel_id = @channel AND message_id = ANY(@ids)");
            release.Parameters.AddWithValue("channel", channelId);
            release.Parameters.AddWithValue("ids", approvedHeld.ToArray());
            batch.BatchCommands.Add(release);
        }

        if (logged.Count > 0)
        {
            // The moderators' actions in this write are recorded with it: both are stored, or neither.
            batch.BatchCommands.Add(ModerationLogStore.InsertCommand(channelId, logged));
        }

        await batch.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    /// <summary>
    /// Marks deleted what <paramref name="senderId"/> said in the day before <paramref name="until"/>:
    /// the purge of a ban or timeout made at that time, done again when its write never happened.
    /// </summary>
    public Task PurgeAsync(Guid channelId, Guid senderId, DateTimeOffset until) =>
        dataSource.Sql("""
            UPDATE chat_messages SET deleted_at = now()
             WHERE channel_id = @channel AND sender_id = @sender AND deleted_at IS NULL
               AND sent_at > @until - interval '1 day' AND sent_at <= @until
            """)
            .With("channel", channelId)
            .With("sender", senderId)
            .With("until", until)
            .ExecuteAsync();

    public Task<long> LastSeqAsync(Guid channelId) =>
        dataSource.Sql(
                "SELECT greatest((SELECT coalesce(max(seq), 0) FROM chat_messages WHERE channel_id = @c), "
                + "(SELECT coalesce(max(last_seq), 0) FROM chat_rooms WHERE channel_id = @c))")
            .With("c", channelId)
            .ScalarAsync<long>();

    /// <summary>
    /// The newest <paramref name="count"/> visible messages before <paramref name="beforeSeq"/> and
    /// after <paramref name="afterSeq"/> (the room's last clear), oldest first, and whether older ones exist.
    /// </summary>
    public async Task<ChatHistory> ReadAsync(Guid channelId, int count, long? beforeSeq, long afterSeq = 0)
    {
        var messages = await dataSource.Sql($"""
            SELECT {ChatMessageRow.Columns}
              FROM chat_messages
             WHERE channel_id = @c AND deleted_at IS NULL AND (@before IS NULL OR seq < @before) AND seq > @after
             ORDER BY seq DESC
             LIMIT @limit
            """)
            .With("c", channelId)
            .With("after", afterSeq)
            .With("before", beforeSeq, NpgsqlDbType.Bigint)
            .With("limit", count + 1)
            .ListAsync(r => ChatMessageRow.Read(r, channelId));
        var more = messages.Count > count;
        var page = messages.Take(count).Reverse().ToList();
        return new ChatHistory(page, more);
    }

    /// <summary>
    /// Up to <paramref name="count"/> + 1 visible messages sent from <paramref name="from"/> (or after the
    /// keyset <paramref name="after"/>) up to <paramref name="to"/>, in the order they were sent, leaving
    /// out those of <paramref name="excluded"/> senders (chat replay of a past broadcast).
    /// </summary>
    public Task<List<ChatMessage>> ReadRangeAsync(
        Guid channelId, DateTimeOffset from, DateTimeOffset to, (DateTimeOffset SentAt, long Seq)? after, IReadOnlyCollection<Guid> excluded, int count) =>
        dataSource.Sql($"""
            SELECT {ChatMessageRow.Columns}
              FROM chat_messages
             WHERE channel_id = @c AND deleted_at IS NULL AND sent_at <= @to
               AND (CASE WHEN @afterSeq IS NULL THEN sent_at >= @from ELSE (sent_at, seq) > (@afterAt, @afterSeq) END)
               AND NOT (sender_id = ANY(@excluded))
             ORDER BY sent_at, seq
             LIMIT @limit
            """)
            .With("c", channelId)
            .With("from", from)
            .With("to", to)
            .With("afterAt", after?.SentAt, NpgsqlDbType.TimestampTz)
            .With("afterSeq", after?.Seq, NpgsqlDbType.Bigint)
            .With("excluded", excluded.ToArray())
            .With("limit", count + 1)
            .ListAsync(r => ChatMessageRow.Read(r, channelId));

    /// <summary>A visible message of the room by id (one a reply answers, say), or null; <c>message_id</c> is unique.</summary>
    public Task<ChatMessage?> FindAsync(Guid channelId, Guid messageId, long afterSeq) =>
        dataSource.Sql($"""
            SELECT {ChatMessageRow.Columns}
              FROM chat_messages
             WHERE channel_id = @c AND message_id = @m AND deleted_at IS NULL AND seq > @after
            """)
            .With("c", channelId)
            .With("m", messageId)
            .With("after", afterSeq)
            .FirstOrDefaultAsync(r => ChatMessageRow.Read(r, channelId));
}
