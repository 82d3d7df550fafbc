using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Common;

namespace WgStream.Grains.Chat;

/// <summary>The <c>reports</c> table.</summary>
public sealed class ReportStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, channel_id, reporter_id, target_user_id, message_id, message_text, reason, created_at, resolved_at, resolved_by, action, note";

    /// <summary>Inserts the report; the same reporter and message again returns the stored one.</summary>
    public async Task<Report> InsertAsync(Guid reporterId, ReportRequest request, string? messageText, string reason)
    {
        await using var command = dataSource.CreateCommand($"""
            WITH inserted AS (
                INSERT INTO reports (channel_id, reporter_id, target_user_id, message_id, message_text, reason)
                VALUES (@channel, @reporter, @target, @message, @text, @reason)
                ON CONFLICT (reporter_id, message_id) WHERE message_id IS NOT NULL DO NOTHING
                RETURNING {Columns})
            SELECT {Columns} FROM inserted
            UNION ALL
            SELECT {Columns} FROM reports WHERE reporter_id = @reporter AND message_id = @message AND NOT EXISTS (SELECT 1 FROM inserted)
            """);
        command.Parameters.AddWithValue("channel", request.ChannelId);
        command.Parameters.AddWithValue("reporter", reporterId);
        command.Parameters.AddWithValue("target", request.TargetUserId);
        command.Parameters.Add(new NpgsqlParameter("message", NpgsqlDbType.Uuid) { Value = (object?)request.MessageId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("text", NpgsqlDbType.Varchar) { Value = (object?)messageText ?? DBNull.Value });
        command.Parameters.AddWithValue("reason", reason);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : throw new InvalidOperationException("The report was neither stored nor found.");
    }

    public async Task<int> FiledSinceAsync(Guid reporterId, DateTimeOffset since)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM reports WHERE reporter_id = @reporter AND created_at >= @since");
        command.Parameters.AddWithValue("reporter", reporterId);
        command.Parameters.AddWithValue("since", since);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The visible text of a message the sender sent in the channel, or null when there is none.</summary>
    public async Task<string?> MessageTextAsync(Guid channelId, Guid messageId, Guid senderId)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT body FROM chat_messages WHERE channel_id = @channel AND message_id = @message AND sender_id = @sender");
        command.Parameters.AddWithValue("channel", channelId);
        command.Parameters.AddWithValue("message", messageId);
        command.Parameters.AddWithValue("sender", senderId);
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<Report?> GetAsync(long id)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM reports WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Marks the report resolved unless it already is; null when someone else was first.</summary>
    public async Task<Report?> ResolveAsync(long id, Guid actorId, ReportAction action, string? note)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE reports SET resolved_at = now(), resolved_by = @actor, action = @action, note = @note
             WHERE id = @id AND resolved_at IS NULL
            RETURNING {Columns}
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("actor", actorId);
        command.Parameters.AddWithValue("action", action.ToString());
        command.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Varchar) { Value = (object?)note ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>Newest first, paged by id; <paramref name="channelId"/> null for every channel.</summary>
    public async Task<Page<Report>> ListAsync(Guid? channelId, bool open, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? before = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM reports
             WHERE (@channel IS NULL OR channel_id = @channel) AND (NOT @open OR resolved_at IS NULL) AND (@before IS NULL OR id < @before)
             ORDER BY id DESC
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("channel", NpgsqlDbType.Uuid) { Value = (object?)channelId ?? DBNull.Value });
        command.Parameters.AddWithValue("open", open);
        command.Parameters.Add(new NpgsqlParameter("before", NpgsqlDbType.Bigint) { Value = (object?)before ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", size + 1);
        return await PageReader.ReadAsync(command, size, Read, report => Cursor.Encode(report.Id.ToString(CultureInfo.InvariantCulture)));
    }

    private static Report Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetGuid(1),
        reader.GetGuid(2),
        reader.GetGuid(3),
        reader.IsDBNull(4) ? null : reader.GetGuid(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetString(6),
        reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        reader.IsDBNull(9) ? null : reader.GetGuid(9),
        reader.IsDBNull(10) ? null : Enum.Parse<ReportAction>(reader.GetString(10)),
        reader.IsDBNull(11) ? null : reader.GetString(11));
}
