using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Chat;
using WgStream.Grains.Infrastructure.Database;

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

    /// <summary>
    /// A channel's prefix (or null) and its emotes, oldest first. Two reads, not one snapshot: only the
    /// channel's own grain writes either table, and it is the one loading them.
    /// </summary>
    public async Task<(string? Prefix, List<StoredEmote> Emotes)> LoadAsync(Guid channelId)
    {
        var current = await dataSource.Sql("SELECT prefix FROM emote_prefixes WHERE channel_id = @c").With("c", channelId).ScalarAsync<string>();
        var list = await dataSource.Sql("""
            SELECT emote_id, suffix, animated, sponsor_only, images::text, storage_keys, created_at
              FROM channel_emotes WHERE channel_id = @c ORDER BY created_at, emote_id
            """)
            .With("c", channelId)
            .ListAsync(reader => new StoredEmote(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetBoolean(2),
                reader.GetBoolean(3),
                JsonSerializer.Deserialize<List<EmoteImage>>(reader.GetString(4), Json) ?? [],
                reader.GetFieldValue<string[]>(5),
                reader.GetFieldValue<DateTimeOffset>(6)));
        return (current, list);
    }

    /// <summary>Every prefix (unique) and its channel.</summary>
    public async Task<Dictionary<string, Guid>> AllPrefixesAsync() =>
        (await dataSource.Sql("SELECT prefix, channel_id FROM emote_prefixes").ListAsync(r => (Prefix: r.GetString(0), Channel: r.GetGuid(1))))
        .ToDictionary(p => p.Prefix, p => p.Channel, StringComparer.Ordinal);

    /// <summary>Sets the channel's prefix; false (and nothing changed) when another channel holds it.</summary>
    public async Task<bool> ClaimPrefixAsync(Guid channelId, string prefix, DateTimeOffset now)
    {
        try
        {
            await dataSource.Sql("""
                INSERT INTO emote_prefixes (channel_id, prefix, set_at) VALUES (@c, @p, @now)
                ON CONFLICT (channel_id) DO UPDATE SET prefix = excluded.prefix, set_at = excluded.set_at
                """)
                .With("c", channelId)
                .With("p", prefix)
                .With("now", now)
                .ExecuteAsync();
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
        try
        {
            await dataSource.Sql("""
                INSERT INTO channel_emotes (emote_id, channel_id, suffix, animated, sponsor_only, images, storage_keys, created_at)
                VALUES (@id, @c, @suffix, @animated, @sponsor, @images::jsonb, @keys, @at)
                """)
                .With("id", emote.Id)
                .With("c", channelId)
                .With("suffix", emote.Suffix)
                .With("animated", emote.Animated)
                .With("sponsor", emote.SponsorOnly)
                .With("images", JsonSerializer.Serialize(emote.Images, Json))
                .With("keys", emote.StorageKeys.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
                .With("at", emote.CreatedAt)
                .ExecuteAsync();
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
        try
        {
            await dataSource.Sql("""
                UPDATE channel_emotes SET suffix = @suffix, sponsor_only = @sponsor WHERE channel_id = @c AND emote_id = @id
                """)
                .With("c", channelId)
                .With("id", emoteId)
                .With("suffix", suffix)
                .With("sponsor", sponsorOnly)
                .ExecuteAsync();
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation)
        {
            return false;
        }
    }

    public Task DeleteAsync(Guid channelId, Guid emoteId) =>
        dataSource.Sql("DELETE FROM channel_emotes WHERE channel_id = @c AND emote_id = @id")
            .With("c", channelId)
            .With("id", emoteId)
            .ExecuteAsync();

    /// <summary>Every emote of the channel and its prefix, in one transaction.</summary>
    public async Task EraseAsync(Guid channelId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.Sql("DELETE FROM channel_emotes WHERE channel_id = @c", transaction).With("c", channelId).ExecuteAsync();
        await connection.Sql("DELETE FROM emote_prefixes WHERE channel_id = @c", transaction).With("c", channelId).ExecuteAsync();
        await transaction.CommitAsync();
    }
}
