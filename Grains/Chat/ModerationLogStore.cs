using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Database;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

/// <summary>The <c>moderation_actions</c> table: appended by the room grains, read newest first.</summary>
public sealed class ModerationLogStore(NpgsqlDataSource dataSource)
{
    /// <summary>
    /// Stores the entries; one already stored (same id) is left as it is. Through the batch command
    /// of <see cref="InsertCommand"/>, not a <see cref="SqlStatement"/>: that is the one insert the
    /// room's group commit and the queue removals carry in their own batches, written once.
    /// </summary>
    public async Task AppendAsync(Guid channelId, IReadOnlyList<ModerationLogEntry> entries)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(InsertCommand(channelId, entries));
        await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The insert of <paramref name="entries"/>, for a caller to run in the transaction of the action
    /// itself (a chat write, a queue removal), so the action and its record are stored together.
    /// </summary>
    public static NpgsqlBatchCommand InsertCommand(Guid channelId, IReadOnlyList<ModerationLogEntry> entries)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO moderation_actions (entry_id, channel_id, actor_id, action, target_user_id, target_message_id, reason, details, at)
            SELECT e.id, @channel, e.actor, e.action, e.target_user, e.target_message, e.reason, e.details, e.at
              FROM unnest(@id, @actor, @action, @target_user, @target_message, @reason, @details, @at)
                   AS e(id, actor, action, target_user, target_message, reason, details, at)
            ON CONFLICT (entry_id) DO NOTHING
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("id", entries.Select(e => e.Id).ToArray());
        command.Parameters.AddWithValue("actor", entries.Select(e => e.ActorId).ToArray());
        command.Parameters.AddWithValue("action", entries.Select(e => e.Action.ToString()).ToArray());
        command.Parameters.Add(new NpgsqlParameter("target_user", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = entries.Select(e => e.TargetUserId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("target_message", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = entries.Select(e => e.TargetMessageId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = entries.Select(e => Clip(e.Reason, 200)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Array | NpgsqlDbType.Varchar) { Value = entries.Select(e => Clip(e.Details, 600)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("at", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = entries.Select(e => e.At).ToArray() });
        return command;
    }

    /// <summary>Which of these entries are stored already.</summary>
    public async Task<IReadOnlySet<Guid>> StoredAsync(IReadOnlyCollection<Guid> entryIds) =>
        (await dataSource.Sql("SELECT entry_id FROM moderation_actions WHERE entry_id = ANY(@ids)")
            .With("ids", entryIds.ToArray())
            .ListAsync(r => r.GetGuid(0)))
        .ToHashSet();

    public async Task<Page<ModerationEntry>> ReadAsync(Guid channelId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? before = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        // One row more than the page: it only says there is a next page.
        return await dataSource.Sql("""
            SELECT id, actor_id, action, target_user_id, target_message_id, reason, details, at
              FROM moderation_actions
             WHERE channel_id = @channel AND (@before IS NULL OR id < @before)
             ORDER BY id DESC
             LIMIT @limit
            """)
            .With("channel", channelId)
            .With("before", before, NpgsqlDbType.Bigint)
            .With("limit", size + 1)
            .PageAsync(size, reader => new ModerationEntry(
                reader.GetInt64(0),
                channelId,
                reader.GetGuid(1),
                Enum.TryParse<ModerationAction>(reader.GetString(2), out var action) ? action : ModerationAction.SettingsChanged,
                reader.IsDBNull(3) ? null : reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetGuid(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7)),
                entry => Cursor.Encode(entry.Id.ToString(CultureInfo.InvariantCulture)));
    }

    private static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
