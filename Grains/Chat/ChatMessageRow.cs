using System.Text.Json;
using Npgsql;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat;

/// <summary>
/// How a chat message is laid out in a row: the history (<c>chat_messages</c>) and AutoMod's queue
/// (<c>chat_held_messages</c>) store the same columns, with fragments and the reply as JSON. One
/// owner for that format, so a message reads back the same from either table.
/// </summary>
internal static class ChatMessageRow
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The columns <see cref="Read"/> expects, in its order (a held message selects <c>0</c> for <c>seq</c>).</summary>
    public const string Columns = "seq, message_id, sender_id, username, color, badges, body, fragments, sent_at, reply";

    /// <summary>The message in the first columns of the row, laid out as <see cref="Columns"/>.</summary>
    public static ChatMessage Read(NpgsqlDataReader reader, Guid channelId) => new(
        reader.GetGuid(1),
        reader.GetInt64(0),
        channelId,
        reader.GetGuid(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetFieldValue<string[]>(5),
        reader.GetFieldValue<DateTimeOffset>(8),
        reader.GetString(6),
        JsonSerializer.Deserialize<List<ChatFragment>>(reader.GetString(7), Json) ?? [],
        reader.IsDBNull(9) ? null : JsonSerializer.Deserialize<ChatReply>(reader.GetString(9), Json));

    public static string FragmentsJson(IReadOnlyList<ChatFragment> fragments) => JsonSerializer.Serialize(fragments, Json);

    public static string? ReplyJson(ChatReply? reply) => reply is null ? null : JsonSerializer.Serialize(reply, Json);
}
