using WgStream.Grains.Infrastructure.Database;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.Grains.Common;

namespace WgStream.Grains.Accounts;

/// <summary>A ban as stored: the ban in force (null once lifted), whether its effects all ran, and the change they are for.</summary>
public sealed record StoredSiteBan(SiteBan? InForce, bool EffectsApplied, DateTimeOffset ChangedAt);

/// <summary>The <c>site_bans</c> and <c>site_ban_audit</c> tables (migration 0065).</summary>
public sealed class SiteBanStore(NpgsqlDataSource dataSource)
{
    private const string BanColumns = "user_id, reason, banned_by, banned_at";

    /// <summary>
    /// Bans the account, with its audit line, in one transaction; an account already banned keeps
    /// its ban (no second audit line). Returns the stored row either way.
    /// </summary>
    public async Task<StoredSiteBan> BanAsync(Guid userId, string reason, Guid actorId, DateTimeOffset now)
    {
        now = Microseconds(now);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var existing = await ReadAsync(connection, transaction, userId, forUpdate: true);
        if (existing?.InForce is not null)
        {
            await transaction.CommitAsync();
            return existing;
        }

        await using (var command = new NpgsqlCommand("""
            INSERT INTO site_bans (user_id, reason, banned_by, banned_at, changed_at)
            VALUES (@user, @reason, @actor, @now, @now)
            ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason, banned_by = excluded.banned_by, banned_at = excluded.banned_at,
                lifted_by = NULL, lifted_at = NULL, effects_applied = false, changed_at = excluded.changed_at
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("user", userId);
            command.Parameters.AddWithValue("reason", reason);
            command.Parameters.AddWithValue("actor", actorId);
            command.Parameters.AddWithValue("now", now);
            await command.ExecuteNonQueryAsync();
        }

        await AuditAsync(connection, transaction, userId, SiteBanAction.Ban, actorId, reason, now);
        await transaction.CommitAsync();
        return new StoredSiteBan(new SiteBan(userId, reason, actorId, now), false, now);
    }

    /// <summary>Lifts the ban in force, with its audit line; null when none was in force.</summary>
    public async Task<StoredSiteBan?> UnbanAsync(Guid userId, Guid actorId, DateTimeOffset now)
    {
        now = Microseconds(now);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("""
            UPDATE site_bans SET lifted_by = @actor, lifted_at = @now, effects_applied = false, changed_at = @now
             WHERE user_id = @user AND lifted_at IS NULL
            """, connection, transaction))
        {
            command.Parameters.AddWithValue("user", userId);
            command.Parameters.AddWithValue("actor", actorId);
            command.Parameters.AddWithValue("now", now);
            if (await command.ExecuteNonQueryAsync() == 0)
            {
                return null;
            }
        }

        await AuditAsync(connection, transaction, userId, SiteBanAction.Unban, actorId, null, now);
        await transaction.CommitAsync();
        return new StoredSiteBan(null, false, now);
    }

    public async Task<StoredSiteBan?> GetAsync(Guid userId)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await ReadAsync(connection, null, userId, forUpdate: false);
    }

    /// <summary>Marks the effects of the change made at <paramref name="changedAt"/> as applied; a newer change stays pending.</summary>
    public async Task MarkAppliedAsync(Guid userId, DateTimeOffset changedAt)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE site_bans SET effects_applied = true WHERE user_id = @user AND changed_at = @changed AND NOT effects_applied");
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("changed", changedAt);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Accounts whose last ban or unban may not have had all its effects, oldest change first.</summary>
    public async Task<IReadOnlyList<Guid>> PendingAsync(int limit)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT user_id FROM site_bans WHERE NOT effects_applied ORDER BY changed_at LIMIT @limit");
        command.Parameters.AddWithValue("limit", limit);
        return await command.ReadGuidsAsync();
    }

    /// <summary>Every account banned now: what each silo keeps in memory for chat.</summary>
    public async Task<IReadOnlyList<Guid>> InForceIdsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id FROM site_bans WHERE lifted_at IS NULL");
        return await command.ReadGuidsAsync(cancellationToken);
    }

    /// <summary>Bans in force, newest first, keyset-paged by (banned_at, user_id).</summary>
    public async Task<Page<SiteBan>> ListAsync(int first, string? after)
    {
        var size = Cursor.PageSize(first);
        var cursor = after is null ? null : Cursor.Decode(after, 2);
        await using var command = dataSource.CreateCommand($"""
            SELECT {BanColumns} FROM site_bans
             WHERE lifted_at IS NULL
               AND (@after_at IS NULL OR (banned_at, user_id) < (@after_at, @after_id))
             ORDER BY banned_at DESC, user_id DESC
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("after_at", NpgsqlDbType.TimestampTz) { Value = cursor is null ? DBNull.Value : ParseTime(cursor[0]) });
        command.Parameters.Add(new NpgsqlParameter("after_id", NpgsqlDbType.Uuid) { Value = cursor is null ? DBNull.Value : ParseGuid(cursor[1]) });
        command.Parameters.AddWithValue("limit", size + 1);
        await using var reader = await command.ExecuteReaderAsync();
        var edges = new List<Edge<SiteBan>>();
        var more = false;
        while (await reader.ReadAsync())
        {
            if (edges.Count == size)
            {
                more = true;
                break;
            }

            var ban = ReadBan(reader);
            edges.Add(new Edge<SiteBan>(Cursor.Encode(ban.BannedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), ban.UserId.ToString("N")), ban));
        }

        return new Page<SiteBan>(edges, more);
    }

    /// <summary>Audit lines, newest first, of one account or all.</summary>
    public async Task<Page<SiteBanAuditEntry>> AuditAsync(Guid? userId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? afterId = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        await using var command = dataSource.CreateCommand("""
            SELECT id, user_id, action, actor_id, reason, at FROM site_ban_audit
             WHERE (@user IS NULL OR user_id = @user) AND (@after IS NULL OR id < @after)
             ORDER BY id DESC
             LIMIT @limit
            """);
        command.Parameters.Add(new NpgsqlParameter("user", NpgsqlDbType.Uuid) { Value = (object?)userId ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("after", NpgsqlDbType.Bigint) { Value = (object?)afterId ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", size + 1);
        await using var reader = await command.ExecuteReaderAsync();
        var edges = new List<Edge<SiteBanAuditEntry>>();
        var more = false;
        while (await reader.ReadAsync())
        {
            if (edges.Count == size)
            {
                more = true;
                break;
            }

            var entry = new SiteBanAuditEntry(
                reader.GetInt64(0),
                reader.GetGuid(1),
                reader.GetString(2) == "BAN" ? SiteBanAction.Ban : SiteBanAction.Unban,
                reader.GetGuid(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5));
            edges.Add(new Edge<SiteBanAuditEntry>(Cursor.Encode(entry.Id.ToString(CultureInfo.InvariantCulture)), entry));
        }

        return new Page<SiteBanAuditEntry>(edges, more);
    }

    private static async Task<StoredSiteBan?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid userId, bool forUpdate)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT {BanColumns}, lifted_at IS NULL, effects_applied, changed_at FROM site_bans WHERE user_id = @user{(forUpdate ? " FOR UPDATE" : string.Empty)}",
            connection,
            transaction);
        command.Parameters.AddWithValue("user", userId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        return new StoredSiteBan(reader.GetBoolean(4) ? ReadBan(reader) : null, reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6));
    }

    private static async Task AuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, SiteBanAction action, Guid actorId, string? reason, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO site_ban_audit (user_id, action, actor_id, reason, at) VALUES (@user, @action, @actor, @reason, @now)", connection, transaction);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("action", action == SiteBanAction.Ban ? "BAN" : "UNBAN");
        command.Parameters.AddWithValue("actor", actorId);
        command.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Varchar) { Value = (object?)reason ?? DBNull.Value });
        command.Parameters.AddWithValue("now", now);
        await command.ExecuteNonQueryAsync();
    }

    private static SiteBan ReadBan(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3));

    /// <summary>PostgreSQL keeps microseconds: <c>changed_at</c> must compare equal to what was written.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    private static DateTimeOffset ParseTime(string ticks) => new(Cursor.ParseLong(ticks), TimeSpan.Zero);

    private static Guid ParseGuid(string value) =>
        Guid.TryParseExact(value, "N", out var id) ? id : throw GrainInterfaces.Common.WgException.BadInput("The cursor is not one this API gave out.", "after");
}
