using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Common;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Notifications;

/// <summary>A user's in-app notifications (<c>notifications</c> where <c>in_app</c>) and settings (<c>notification_settings</c>).</summary>
public sealed class NotificationInboxStore(NpgsqlDataSource dataSource)
{
    /// <summary>Newest first, by id (keyset: stable while new notifications arrive).</summary>
    public Task<Page<NotificationItem>> ListAsync(Guid userId, int first, string? after)
    {
        var size = Cursor.PageSize(first);
        long? afterId = after is null ? null : Cursor.ParseLong(Cursor.Decode(after, 1)[0]);
        return dataSource.Sql("""
            SELECT n.id, n.kind, n.created_at, n.read_at, j.content::text
              FROM notifications n
              JOIN notification_jobs j ON j.id = n.job_id
             WHERE n.user_id = @user AND n.in_app AND (@after IS NULL OR n.id < @after)
             ORDER BY n.id DESC
             LIMIT @limit
            """)
            .With("user", userId)
            .With("after", afterId, NpgsqlDbType.Bigint)
            .With("limit", size + 1)
            .PageAsync(
                size,
                reader => new NotificationItem(
                    reader.GetInt64(0),
                    Enum.Parse<NotificationKind>(reader.GetString(1)),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                    NotificationJson.DeserializeContent(reader.IsDBNull(4) ? null : reader.GetString(4))),
                item => Cursor.Encode(item.Id.ToString(CultureInfo.InvariantCulture)));
    }

    public Task<int> CountUnreadAsync(Guid userId) =>
        dataSource.Sql("SELECT count(*) FROM notifications WHERE user_id = @user AND in_app AND read_at IS NULL")
            .With("user", userId)
            .ScalarAsync<int>();

    /// <summary>Only the user's own notifications are touched, whatever ids are passed.</summary>
    public async Task<int> MarkReadAsync(Guid userId, IReadOnlyList<long>? ids)
    {
        await dataSource.Sql("""
            UPDATE notifications SET read_at = now()
             WHERE user_id = @user AND in_app AND read_at IS NULL AND (@ids IS NULL OR id = ANY(@ids))
            """)
            .With("user", userId)
            .With("ids", ids?.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint)
            .ExecuteAsync();
        return await CountUnreadAsync(userId);
    }

    public async Task<(MediumSettings InApp, MediumSettings Email, MediumSettings Telegram)> GetSettingsAsync(Guid userId)
    {
        var rows = NotificationDefaults.Kinds.ToDictionary(k => k, NotificationDefaults.For);
        var stored = await dataSource.Sql("SELECT kind, in_app, email, telegram FROM notification_settings WHERE user_id = @user")
            .With("user", userId)
            .ListAsync(r => (Kind: r.GetString(0), Medium: (r.GetBoolean(1), r.GetBoolean(2), r.GetBoolean(3))));
        foreach (var (name, medium) in stored)
        {
            if (Enum.TryParse<NotificationKind>(name, out var kind))
            {
                rows[kind] = medium;
            }
        }

        foreach (var kind in NotificationDefaults.Kinds.Where(NotificationDefaults.EmailForced))
        {
            rows[kind] = rows[kind] with { Email = true };
        }

        MediumSettings Medium(Func<(bool InApp, bool Email, bool Telegram), bool> pick) => new(
            pick(rows[NotificationKind.StreamStarted]),
            pick(rows[NotificationKind.NewFollower]),
            pick(rows[NotificationKind.NewSponsor]),
            pick(rows[NotificationKind.ChannelVerified]),
            pick(rows[NotificationKind.Security]),
            pick(rows[NotificationKind.Mention]));

        return (Medium(r => r.InApp), Medium(r => r.Email), Medium(r => r.Telegram));
    }

    /// <summary>
    /// Applies a partial change per kind in one statement each (a kind without a row starts from
    /// its defaults); kinds the update does not mention are left alone.
    /// </summary>
    public async Task UpdateSettingsAsync(Guid userId, NotificationSettingsUpdate update)
    {
        if (update.Email?.Security == false)
        {
            throw WgException.BadInput("Security e-mails cannot be turned off.", "email.security");
        }

        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var kind in NotificationDefaults.Kinds)
        {
            var inApp = update.InApp?.For(kind);
            var email = update.Email?.For(kind);
            var telegram = update.Telegram?.For(kind);
            if (inApp is null && email is null && telegram is null)
            {
                continue;
            }

            var defaults = NotificationDefaults.For(kind);
            await connection.Sql("""
                INSERT INTO notification_settings (user_id, kind, in_app, email, telegram)
                VALUES (@user, @kind, COALESCE(@in_app, @d_in_app), COALESCE(@email, @d_email), COALESCE(@telegram, @d_telegram))
                ON CONFLICT (user_id, kind) DO UPDATE SET
                    in_app = COALESCE(@in_app, notification_settings.in_app),
                    email = COALESCE(@email, notification_settings.email),
                    telegram = COALESCE(@telegram, notification_settings.telegram),
                    updated_at = now()
                """, transaction)
                .With("user", userId)
                .With("kind", kind.ToString())
                .With("in_app", inApp, NpgsqlDbType.Boolean)
                .With("email", email, NpgsqlDbType.Boolean)
                .With("telegram", telegram, NpgsqlDbType.Boolean)
                .With("d_in_app", defaults.InApp)
                .With("d_email", defaults.Email)
                .With("d_telegram", defaults.Telegram)
                .ExecuteAsync();
        }

        await transaction.CommitAsync();
    }
}
