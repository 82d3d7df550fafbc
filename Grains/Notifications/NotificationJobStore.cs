using System.Data;
using Npgsql;
using NpgsqlTypes;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Grains.Infrastructure.Database;
using WgStream.GrainInterfaces.Common;

namespace WgStream.Grains.Notifications;

/// <summary>
/// <c>notification_jobs</c>: recording published events, and expanding them into per-recipient
/// <c>notifications</c> and <c>notification_outbox</c> rows. One step expands one batch of one job
/// in one transaction that holds the job's row lock (taken with SKIP LOCKED, so any number of silos
/// can run steps side by side), so a crash loses no progress and repeats none.
/// </summary>
public sealed class NotificationJobStore(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<NotificationOptions> options)
{
    private NotificationOptions Options => options.Value;

    public Task EnqueueAsync(NotificationEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return dataSource.Sql("INSERT INTO notification_jobs (kind, payload, at) VALUES (@kind, @payload, @at)")
            .With("kind", NotificationJson.KindOf(e).ToString())
            .With("payload", NotificationJson.Serialize(e), NpgsqlDbType.Jsonb)
            .With("at", e.At.ToUniversalTime())
            .ExecuteAsync();
    }

    /// <summary>
    /// Claims the due job that waited longest and expands one batch of it; null when nothing is
    /// due. A fan-out job goes to the back of the queue after each batch, so a popular channel
    /// going live never holds up a security notice behind it.
    /// </summary>
    public async Task<JobStep?> StepAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var job = await connection.Sql("""
            SELECT id, kind, payload::text, content::text, cursor, at, attempts
              FROM notification_jobs
             WHERE done_at IS NULL AND next_attempt_at <= now()
             ORDER BY next_attempt_at, id
             LIMIT 1
               FOR UPDATE SKIP LOCKED
            """, transaction)
            .FirstOrDefaultAsync(
                reader => new ClaimedJob(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetInt64(4),
                    reader.GetFieldValue<DateTimeOffset>(5),
                    reader.GetInt32(6)),
                cancellationToken);
        if (job is null)
        {
            return null;
        }

        try
        {
            var step = await ExpandAsync(connection, transaction, job, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return step;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await transaction.RollbackAsync(CancellationToken.None);
            var gaveUp = await RecordFailureAsync(job, e);
            return new JobStep(job.Id, Enum.TryParse<NotificationKind>(job.Kind, out var k) ? k : NotificationKind.Security, Done: gaveUp, 0, 0, 0, [], e);
        }
    }

    private async Task<JobStep> ExpandAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ClaimedJob job, CancellationToken cancellationToken)
    {
        var kind = Enum.Parse<NotificationKind>(job.Kind);
        var e = NotificationJson.Deserialize(kind, job.Payload);
        var content = job.Content is null
            ? await ResolveContentAsync(connection, transaction, e, cancellationToken)
            : NotificationJson.DeserializeContent(job.Content);

        // Who receives it: the followers of a channel going live, batch by batch in follow order
        // (follows.seq only grows, so a follow made during the fan-out lands in a later batch or,
        // if after the last one, is simply not notified); otherwise the one owner or user.
        var fanout = e is StreamStartedEvent;
        var recipients = fanout
            ? "SELECT f.follower_id AS user_id, f.seq FROM follows f WHERE f.channel_id = @source AND f.seq > @after ORDER BY f.seq LIMIT @limit"
            : "SELECT @source AS user_id, 0::bigint AS seq";
        var source = e switch
        {
            StreamStartedEvent s => s.ChannelId,
            NewFollowerEvent f => f.ChannelId,
            NewSponsorEvent s => s.ChannelId,
            ChannelVerifiedEvent v => v.ChannelId,
            SecurityNoticeEvent s => s.UserId,
            ChatMentionEvent m => m.UserId,
            _ => throw new InvalidOperationException($"No recipients rule for {kind}."),
        };

        // One statement per batch: settings (defaults where a user has no row) and Telegram links
        // are joined in, the in-app/notification rows and their outbox rows written together.
        var defaults = NotificationDefaults.For(kind);
        var (lastSeq, batchCount, inApp, queued) = await connection.Sql($"""
            WITH batch AS ({recipients}),
            prefs AS (
                SELECT b.user_id,
                       COALESCE(s.in_app, @d_in_app) AS in_app,
                       (@forced_email OR COALESCE(s.email, @d_email)) AS email,
                       (COALESCE(s.telegram, @d_telegram) AND t.chat_id IS NOT NULL) AS telegram
                  FROM batch b
                  LEFT JOIN notification_settings s ON s.user_id = b.user_id AND s.kind = @kind
                  LEFT JOIN telegram_links t ON t.user_id = b.user_id
            ),
            inserted AS (
                INSERT INTO notifications (user_id, job_id, kind, in_app, created_at)
                SELECT p.user_id, @job, @kind, p.in_app, @at FROM prefs p WHERE p.in_app OR p.email OR p.telegram
                ON CONFLICT (job_id, user_id) DO NOTHING
                RETURNING id, user_id, in_app
            ),
            queued AS (
                INSERT INTO notification_outbox (notification_id, medium, user_id)
                SELECT i.id, m.medium, i.user_id
                  FROM inserted i
                  JOIN prefs p ON p.user_id = i.user_id
                 CROSS JOIN LATERAL (VALUES ('email', p.email), ('telegram', p.telegram)) AS m (medium, wanted)
                 WHERE m.wanted
                RETURNING 1
            )
            SELECT (SELECT max(seq) FROM batch), (SELECT count(*) FROM batch),
                   (SELECT count(*) FROM inserted WHERE in_app), (SELECT count(*) FROM queued)
            """, transaction)
            .With("source", source)
            .With("after", job.Cursor)
            .With("limit", Math.Max(1, Options.FanoutBatchSize))
            .With("kind", kind.ToString())
            .With("job", job.Id)
            .With("at", job.At)
            .With("d_in_app", defaults.InApp)
            .With("d_email", defaults.Email)
            .With("d_telegram", defaults.Telegram)
            .With("forced_email", NotificationDefaults.EmailForced(kind))
            .FirstOrDefaultAsync(
                reader => (LastSeq: reader.IsDBNull(0) ? (long?)null : reader.GetInt64(0), Batch: (int)reader.GetInt64(1), InApp: (int)reader.GetInt64(2), Queued: (int)reader.GetInt64(3)),
                cancellationToken);

        var done = !fanout || batchCount < Options.FanoutBatchSize;
        // clock_timestamp(), not now() (this transaction's start): jobs published while the batch
        // ran are then due before the rest of this fan-out.
        await connection.Sql("""
            UPDATE notification_jobs
               SET content = @content, cursor = @cursor, batches = batches + 1, recipients = recipients + @recipients,
                   next_attempt_at = clock_timestamp(), done_at = CASE WHEN @done THEN now() END
             WHERE id = @id
            """, transaction)
            .With("content", NotificationJson.SerializeContent(content), NpgsqlDbType.Jsonb)
            .With("cursor", fanout && lastSeq is { } last ? last : job.Cursor)
            .With("recipients", batchCount)
            .With("done", done)
            .With("id", job.Id)
            .ExecuteAsync(cancellationToken);

        // Live pushes: single-recipient notifications always; a go-live only when the whole
        // fan-out is one small batch (see NotificationOptions.LivePushMaxRecipients).
        var push = inApp > 0 && (!fanout || (job.Cursor == 0 && done && inApp <= Options.LivePushMaxRecipients))
            ? await ReadInAppAsync(connection, transaction, job.Id, kind, content, cancellationToken)
            : [];
        return new JobStep(job.Id, kind, done, batchCount, inApp, queued, push, null);
    }

    private static async Task<IReadOnlyList<(Guid UserId, NotificationItem Item)>> ReadInAppAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long jobId, NotificationKind kind, NotificationContent content, CancellationToken cancellationToken) =>
        await connection.Sql("SELECT id, user_id, created_at FROM notifications WHERE job_id = @job AND in_app", transaction)
            .With("job", jobId)
            .ListAsync(
                reader => (reader.GetGuid(1), new NotificationItem(reader.GetInt64(0), kind, reader.GetFieldValue<DateTimeOffset>(2), null, content)),
                cancellationToken);

    /// <summary>Looks up the names a notification shows, once per event (every user owns a channel of the same id and name).</summary>
    private static async Task<NotificationContent> ResolveContentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, NotificationEvent e, CancellationToken cancellationToken)
    {
        var ids = e switch
        {
            StreamStartedEvent s => new[] { s.ChannelId },
            NewFollowerEvent f => [f.ChannelId, f.FollowerId],
            NewSponsorEvent s => [s.ChannelId, s.SponsorId],
            ChannelVerifiedEvent v => [v.ChannelId],
            ChatMentionEvent m => [m.ChannelId, m.SenderId],
            _ => [],
        };
        var names = new Dictionary<Guid, (string Username, string DisplayName)>();
        if (ids.Length > 0)
        {
            var rows = await connection.Sql("SELECT channel_id, username, display_name FROM channels WHERE channel_id = ANY(@ids)", transaction)
                .With("ids", ids)
                .ListAsync(reader => (Id: reader.GetGuid(0), Name: (reader.GetString(1), reader.GetString(2))), cancellationToken);
            foreach (var (id, name) in rows)
            {
                names[id] = name;
            }
        }

        (string? Username, string? DisplayName) Name(Guid id) => names.TryGetValue(id, out var n) ? n : (null, null);

        switch (e)
        {
            case StreamStartedEvent s:
                {
                    var (username, display) = Name(s.ChannelId);
                    string? nameEn = null, nameUk = null;
                    if (s.CategorySlug is not null
                        && await connection.Sql("SELECT name_en, name_uk FROM categories WHERE slug = @slug", transaction)
                            .With("slug", s.CategorySlug)
                            .FirstOrDefaultAsync<(string En, string Uk)?>(reader => (reader.GetString(0), reader.GetString(1)), cancellationToken) is { } category)
                    {
                        (nameEn, nameUk) = category;
                    }

                    return new NotificationContent(
                        ChannelId: s.ChannelId, ChannelUsername: username, ChannelDisplayName: display, StreamId: s.StreamId,
                        StreamTitle: s.Title, CategorySlug: s.CategorySlug, CategoryNameEn: nameEn, CategoryNameUk: nameUk);
                }

            case NewFollowerEvent f:
                {
                    var (username, display) = Name(f.ChannelId);
                    return new NotificationContent(ChannelId: f.ChannelId, ChannelUsername: username, ChannelDisplayName: display, ActorId: f.FollowerId, ActorUsername: Name(f.FollowerId).Username);
                }

            case NewSponsorEvent s:
                {
                    var (username, display) = Name(s.ChannelId);
                    return new NotificationContent(
                        ChannelId: s.ChannelId, ChannelUsername: username, ChannelDisplayName: display, ActorId: s.SponsorId,
                        ActorUsername: Name(s.SponsorId).Username, PlanTitle: s.PlanTitle);
                }

            case ChannelVerifiedEvent v:
                {
                    var (username, display) = Name(v.ChannelId);
                    return new NotificationContent(ChannelId: v.ChannelId, ChannelUsername: username, ChannelDisplayName: display);
                }

            case SecurityNoticeEvent s:
                return new NotificationContent(SecurityKind: s.Kind, Detail: s.Detail, MailTo: s.MailTo);

            case ChatMentionEvent m:
                {
                    var (username, display) = Name(m.ChannelId);
                    return new NotificationContent(
                        ChannelId: m.ChannelId, ChannelUsername: username, ChannelDisplayName: display, ActorId: m.SenderId,
                        ActorUsername: Name(m.SenderId).Username, Detail: m.Excerpt, MessageId: m.MessageId, IsReply: m.Reply);
                }

            default:
                throw new InvalidOperationException($"No content rule for {e.GetType().Name}.");
        }
    }

    /// <summary>Counts a failed attempt and backs off; returns true when the job is given up.</summary>
    private async Task<bool> RecordFailureAsync(ClaimedJob job, Exception error)
    {
        var attempts = job.Attempts + 1;
        var gaveUp = attempts >= Options.MaxAttempts;
        await dataSource.Sql("""
            UPDATE notification_jobs
               SET attempts = @attempts, last_error = @error, next_attempt_at = @next,
                   done_at = CASE WHEN @gave_up THEN now() END, failed = @gave_up
             WHERE id = @id
            """)
            .With("attempts", attempts)
            .With("error", Truncate($"{error.GetType().Name}: {error.Message}"))
            .With("next", DateTimeOffset.UtcNow + Options.RetryDelay(attempts))
            .With("gave_up", gaveUp)
            .With("id", job.Id)
            .ExecuteAsync(CancellationToken.None);
        return gaveUp;
    }

    internal static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000];

    private sealed record ClaimedJob(long Id, string Kind, string Payload, string? Content, long Cursor, DateTimeOffset At, int Attempts);
}

/// <summary>What one expansion step did: recipients in the batch, in-app rows, outbox rows, and which in-app rows to push live.</summary>
public sealed record JobStep(
    long JobId,
    NotificationKind Kind,
    bool Done,
    int Recipients,
    int InApp,
    int Outbox,
    IReadOnlyList<(Guid UserId, NotificationItem Item)> Push,
    Exception? Error);
