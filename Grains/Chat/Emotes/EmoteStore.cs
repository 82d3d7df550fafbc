using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// The <c>emote_prefixes</c> and <c>channel_emotes</c> tables (migration 0080). Only
/// <see cref="ChannelEmotesGrain"/> writes them, one channel at a time; the unique indexes are the
/// backstop for what it checks in memory, and the arbiter between channels for prefixes.
/// </summary>
public sealed class EmoteStore(NpgsqlDataSource dataSource)
{
    private const string UniqueViolation = "23505";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>A channel's prefix (or null) and its emotes, oldest first.</summary>
    public async Task<(string? Prefix, List<StoredEmote> Emotes)> LoadAsync(Guid channelId)
    {
        await using var batch = dataSource.CreateBatch();
        var prefix = new NpgsqlBatchCommand("SELECT prefix FROM emote_prefixes WHERE channel_id = @c");
        prefix.Parameters.AddWithValue("c", channelId);
        var emotes = new NpgsqlBatchCommand("""
            SELECT emote_id, suffix, animated, sponsor_only, images::text, storage_keys, created_at
              FROM channel_emotes WHERE channel_id = @c ORDER BY created_at, emote_id
            """);
        emotes.Parameters.AddWithValue("c", channelId);
        batch.BatchCommands.Add(prefix);
        batch.BatchCommands.Add(emotes);
        await using var reader = await batch.ExecuteReaderAsync();
        var current = await reader.ReadAsync() ? reader.GetString(0) : null;
        await reader.NextResultAsync();
        var list = new List<StoredEmote>();
        while (await reader.ReadAsync())
        {
            list.Add(new StoredEmote(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetBoolean(2),
                reader.GetBoolean(3),
                JsonSerializer.Deserialize<List<EmoteImage>>(reader.GetString(4), Json) ?? [],
                reader.GetFieldValue<string[]>(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        }

        return (current, list);
    }

    /// <summary>Every prefix and its channel.</summary>
    public async Task<Dictionary<string, Guid>> AllPrefixesAsync()
    {
        await using var command = dataSource.CreateCommand("SELECT prefix, channel_id FROM emote_prefixes");
        await using var reader = await command.ExecuteReaderAsync();
        var prefixes = new Dictionary<string, Guid>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            prefixes[reader.GetString(0)] = reader.GetGuid(1);
        }

        return prefixes;
    }

    /// <summary>Sets the channel's prefix; false (and nothing changed) when another channel holds it.</summary>
    public async Task<bool> ClaimPrefixAsync(Guid channelId, string prefix, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO emote_prefixes (channel_id, prefix, set_at) VALUES (@c, @p, @now)
            ON CONFLICT (channel_id) DO UPDATE SET prefix = excluded.prefix, set_at = excluded.set_at
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("p", prefix);
        command.Parameters.AddWithValue("now", now);
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>Adds an emote; false when the channel already has one of that name (ignoring case).</summary>
    public async Task<bool> InsertAsync(Guid channelId, StoredEmote emote)
    {
        await using var command = dataSource.CreateCommand("""
            INSERT INTO channel_emotes (emote_id, channel_id, suffix, animated, sponsor_only, images, storage_keys, created_at)
            VALUES (@id, @c, @suffix, @animated, @sponsor, @images::jsonb, @keys, @at)
            """);
        command.Parameters.AddWithValue("id", emote.Id);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("suffix", emote.Suffix);
        command.Parameters.AddWithValue("animated", emote.Animated);
        command.Parameters.AddWithValue("sponsor", emote.SponsorOnly);
        command.Parameters.AddWithValue("images", JsonSerializer.Serialize(emote.Images, Json));
        command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = emote.StorageKeys.ToArray() });
        command.Parameters.AddWithValue("at", emote.CreatedAt);
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return false;
        }
    }

    /// <summary>Renames and sets the sponsor-only flag in one write; false when the new name is taken (ignoring case).</summary>
    public async Task<bool> UpdateAsync(Guid channelId, Guid emoteId, string suffix, bool sponsorOnly)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE channel_emotes SET suffix = @suffix, sponsor_only = @sponsor WHERE channel_id = @c AND emote_id = @id
            """);
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("id", emoteId);
        command.Parameters.AddWithValue("suffix", suffix);
        command.Parameters.AddWithValue("sponsor", sponsorOnly);
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return false;
        }
    }

    public async Task DeleteAsync(Guid channelId, Guid emoteId)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM channel_emotes WHERE channel_id = @c AND emote_id = @id");
        command.Parameters.AddWithValue("c", channelId);
        command.Parameters.AddWithValue("id", emoteId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every emote of the channel and its prefix, in one transaction.</summary>
    public async Task EraseAsync(Guid channelId)
    {
        await using var batch = dataSource.CreateBatch();
        var emotes = new NpgsqlBatchCommand("DELETE FROM channel_emotes WHERE channel_id = @c");
        emotes.Parameters.AddWithValue("c", channelId);
        var prefix = new NpgsqlBatchCommand("DELETE FROM emote_prefixes WHERE channel_id = @c");
        prefix.Parameters.AddWithValue("c", channelId);
        batch.BatchCommands.Add(emotes);
        batch.BatchCommands.Add(prefix);
        await batch.ExecuteNonQueryAsync();
    }
}
