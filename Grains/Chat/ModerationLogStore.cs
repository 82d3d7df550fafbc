using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Common;

namespace WgStream.Grains.Chat;

/// <summary>The <c>moderation_actions</c> table: appended by the room grains, read newest first.</summary>
public sealed class ModerationLogStore(NpgsqlDataSource dataSource)
{
    public async Task AppendAsync(Guid channelId, Guid actorId, ModerationAction action, Guid? targetUserId = null, Guid? targetMessageId = null, string? reason = null, string? details = null)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO moderation_actions (channel_id, actor_id, action, target_user_id, target_message_id, reason, details)
            VALUES (@channel, @actor, @action, @user, @message, @reason, @details)
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("actor", actorId);
        command.Parameters.AddWithValue("action", action.ToString());
        command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = (object?)targetUserId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("message", NpgsqlDbType.Uuid) { Value = (object?)targetMessageId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Varchar) { Value = (object?)Clip(reason, 200) ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Varchar) { Value = (object?)Clip(details, 600) ?? DBNull.Value });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<Page<ModerationEntry>> ReadAsync(Guid channelId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? before = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        await using var command = dataSource.CreateCommand("""
            SELECT id, actor_id, action, target_user_id, target_message_id, reason, details, at
              FROM moderation_actions
             WHERE channel_id = @channel AND (@before IS NULL OR id < @before)
             ORDER BY id DESC
             LIMIT @limit
            """);
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", size + 1);
        return await PageReader.ReadAsync(
            command,
            size,
            reader => new ModerationEntry(
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
