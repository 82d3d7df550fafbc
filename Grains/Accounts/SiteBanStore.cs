using WgStream.Grains.Infrastructure.Database;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.Grains.Common;
using WgStream.GrainInterfaces.Common;

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
        var existing = await connection.Sql(ReadSql(forUpdate: true), transaction).With("user", userId).FirstOrDefaultAsync(ReadStored);
        if (existing?.InForce is not null)
        {
            await transaction.CommitAsync();
            return existing;
        }

        await connection.Sql("""
            INSERT INTO site_bans (user_id, reason, banned_by, banned_at, changed_at)
            VALUES (@user, @reason, @actor, @now, @now)
            ON CONFLICT (user_id) DO UPDATE SET reason = excluded.reason, banned_by = excluded.banned_by, banned_at = excluded.banned_at,
                lifted_by = NULL, lifted_at = NULL, effects_applied = false, changed_at = excluded.changed_at
            """, transaction)
            .With("user", userId)
            .With("reason", reason)
            .With("actor", actorId)
            .With("now", now)
            .ExecuteAsync();

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
        var lifted = await connection.Sql("""
            UPDATE site_bans SET lifted_by = @actor, lifted_at = @now, effects_applied = false, changed_at = @now
             WHERE user_id = @user AND lifted_at IS NULL
            """, transaction)
            .With("user", userId)
            .With("actor", actorId)
            .With("now", now)
            .ExecuteAsync();
        if (lifted == 0)
        {
            return null;
        }

        await AuditAsync(connection, transaction, userId, SiteBanAction.Unban, actorId, null, now);
        await transaction.CommitAsync();
        return new StoredSiteBan(null, false, now);
    }

    public Task<StoredSiteBan?> GetAsync(Guid userId) =>
        dataSource.Sql(ReadSql(forUpdate: false)).With("user", userId).FirstOrDefaultAsync(ReadStored);

    /// <summary>Marks the effects of the change made at <paramref name="changedAt"/> as applied; a newer change stays pending.</summary>
    public Task MarkAppliedAsync(Guid userId, DateTimeOffset changedAt) =>
        dataSource.Sql("UPDATE site_bans SET effects_applied = true WHERE user_id = @user AND changed_at = @changed AND NOT effects_applied")
            .With("user", userId)
            .With("changed", changedAt)
            .ExecuteAsync();

    /// <summary>Accounts whose last ban or unban may not have had all its effects, oldest change first.</summary>
    public async Task<IReadOnlyList<Guid>> PendingAsync(int limit) =>
        await dataSource.Sql("SELECT user_id FROM site_bans WHERE NOT effects_applied ORDER BY changed_at LIMIT @limit")
            .With("limit", limit)
            .ListAsync(r => r.GetGuid(0));

    /// <summary>Every account banned now: what each silo keeps in memory for chat.</summary>
    public async Task<IReadOnlyList<Guid>> InForceIdsAsync(CancellationToken cancellationToken) =>
        await dataSource.Sql("SELECT user_id FROM site_bans WHERE lifted_at IS NULL").ListAsync(r => r.GetGuid(0), cancellationToken);

    /// <summary>Bans in force, newest first, keyset-paged by (banned_at, user_id).</summary>
    public async Task<Page<SiteBan>> ListAsync(int first, string? after)
    {
        var size = Cursor.PageSize(first);
        (DateTimeOffset At, Guid Id)? cursor = after is null ? null : Cursor.DecodeTimeAndId(after);
        // One row more than the page: it only says there is a next page.
        return await dataSource.Sql($"""
            SELECT {BanColumns} FROM site_bans
             WHERE lifted_at IS NULL
               AND (@after_at IS NULL OR (banned_at, user_id) < (@after_at, @after_id))
             ORDER BY banned_at DESC, user_id DESC
             LIMIT @limit
            """)
            .With("after_at", cursor?.At, NpgsqlDbType.TimestampTz)
            .With("after_id", cursor?.Id, NpgsqlDbType.Uuid)
            .With("limit", size + 1)
            .PageAsync(size, ReadBan, ban => Cursor.EncodeTimeAndId(ban.BannedAt, ban.UserId));
    }

    /// <summary>Audit lines, newest first, of one account or all.</summary>
    public async Task<Page<SiteBanAuditEntry>> AuditAsync(Guid? userId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? afterId = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        // One row more than the page: it only says there is a next page.
        return await dataSource.Sql("""
            SELECT id, user_id, action, actor_id, reason, at FROM site_ban_audit
             WHERE (@user IS NULL OR user_id = @user) AND (@after IS NULL OR id < @after)
             ORDER BY id DESC
             LIMIT @limit
            """)
            .With("user", userId, NpgsqlDbType.Uuid)
            .With("after", afterId, NpgsqlDbType.Bigint)
            .With("limit", size + 1)
            .PageAsync(size, r => new SiteBanAuditEntry(
                r.GetInt64(0),
                r.GetGuid(1),
                r.GetString(2) == "BAN" ? SiteBanAction.Ban : SiteBanAction.Unban,
                r.GetGuid(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5)),
                entry => Cursor.Encode(entry.Id.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>The stored row of one account (<c>@user</c>), locked for the transaction when <paramref name="forUpdate"/>; read by <see cref="ReadStored"/>.</summary>
    private static string ReadSql(bool forUpdate) =>
        $"SELECT {BanColumns}, lifted_at IS NULL, effects_applied, changed_at FROM site_bans WHERE user_id = @user{(forUpdate ? " FOR UPDATE" : string.Empty)}";

    private static StoredSiteBan ReadStored(NpgsqlDataReader reader) =>
        new(reader.GetBoolean(4) ? ReadBan(reader) : null, reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6));

    private static Task AuditAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, SiteBanAction action, Guid actorId, string? reason, DateTimeOffset now) =>
        connection.Sql("INSERT INTO site_ban_audit (user_id, action, actor_id, reason, at) VALUES (@user, @action, @actor, @reason, @now)", transaction)
            .With("user", userId)
            .With("action", action == SiteBanAction.Ban ? "BAN" : "UNBAN")
            .With("actor", actorId)
            .With("reason", reason, NpgsqlDbType.Varchar)
            .With("now", now)
            .ExecuteAsync();

    private static SiteBan ReadBan(NpgsqlDataReader reader) =>
        new(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3));

    /// <summary>PostgreSQL keeps microseconds: <c>changed_at</c> must compare equal to what was written.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
}
