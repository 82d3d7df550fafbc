using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Database;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Chat;

/// <summary>The <c>reports</c> table.</summary>
public sealed class ReportStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, channel_id, reporter_id, target_user_id, message_id, message_text, reason, created_at, resolved_at, resolved_by, action, note";

    /// <summary>Inserts the report; the same reporter and message again returns the stored one.</summary>
    public async Task<Report> InsertAsync(Guid reporterId, ReportRequest request, string? messageText, string reason) =>
        await dataSource.Sql($"""
            WITH inserted AS (
                INSERT INTO reports (channel_id, reporter_id, target_user_id, message_id, message_text, reason)
                VALUES (@channel, @reporter, @target, @message, @text, @reason)
                ON CONFLICT (reporter_id, message_id) WHERE message_id IS NOT NULL DO NOTHING
                RETURNING {Columns})
            SELECT {Columns} FROM inserted
            UNION ALL
            SELECT {Columns} FROM reports WHERE reporter_id = @reporter AND message_id = @message AND NOT EXISTS (SELECT 1 FROM inserted)
            """)
            .With("channel", request.ChannelId)
            .With("reporter", reporterId)
            .With("target", request.TargetUserId)
            .With("message", request.MessageId, NpgsqlDbType.Uuid)
            .With("text", messageText, NpgsqlDbType.Varchar)
            .With("reason", reason)
            .FirstOrDefaultAsync(Read)
        ?? throw new InvalidOperationException("The report was neither stored nor found.");

    public Task<int> FiledSinceAsync(Guid reporterId, DateTimeOffset since) =>
        dataSource.Sql("SELECT count(*) FROM reports WHERE reporter_id = @reporter AND created_at >= @since")
            .With("reporter", reporterId)
            .With("since", since)
            .ScalarAsync<int>();

    /// <summary>The visible text of a message the sender sent in the channel, or null when there is none.</summary>
    public Task<string?> MessageTextAsync(Guid channelId, Guid messageId, Guid senderId) =>
        dataSource.Sql("SELECT body FROM chat_messages WHERE channel_id = @channel AND message_id = @message AND sender_id = @sender")
            .With("channel", channelId)
            .With("message", messageId)
            .With("sender", senderId)
            .ScalarAsync<string>();

    public Task<Report?> GetAsync(long id) =>
        dataSource.Sql($"SELECT {Columns} FROM reports WHERE id = @id").With("id", id).FirstOrDefaultAsync(Read);

    /// <summary>Marks the report resolved unless it already is; null when someone else was first.</summary>
    public Task<Report?> ResolveAsync(long id, Guid actorId, ReportAction action, string? note) =>
        dataSource.Sql($"""
            UPDATE reports SET resolved_at = now(), resolved_by = @actor, action = @action, note = @note
             WHERE id = @id AND resolved_at IS NULL
            RETURNING {Columns}
            """)
            .With("id", id)
            .With("actor", actorId)
            .With("action", action.ToString())
            .With("note", note, NpgsqlDbType.Varchar)
            .FirstOrDefaultAsync(Read);

    /// <summary>Newest first, paged by id; <paramref name="channelId"/> null for every channel.</summary>
    public async Task<Page<Report>> ListAsync(Guid? channelId, bool open, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? before = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        // One row more than the page: it only says there is a next page.
        return await dataSource.Sql($"""
            SELECT {Columns} FROM reports
             WHERE (@channel IS NULL OR channel_id = @channel) AND (NOT @open OR resolved_at IS NULL) AND (@before IS NULL OR id < @before)
             ORDER BY id DESC
             LIMIT @limit
            """)
            .With("channel", channelId, NpgsqlDbType.Uuid)
            .With("open", open)
            .With("before", before, NpgsqlDbType.Bigint)
            .With("limit", size + 1)
            .PageAsync(size, Read, report => Cursor.Encode(report.Id.ToString(CultureInfo.InvariantCulture)));
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
