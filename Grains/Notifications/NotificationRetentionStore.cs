using Microsoft.Extensions.Options;
using Npgsql;
using WgStream.Grains.Infrastructure.Database;

namespace WgStream.Grains.Notifications;

/// <summary>
/// Deletes what the notification pipeline no longer needs, oldest rules first so one pass frees
/// what the next rule looks for:
/// <list type="number">
/// <item>outbox rows that are settled (delivered, failed, skipped) and older than <see cref="NotificationOptions.FinishedRetention"/>;</item>
/// <item>in-app notifications read longer ago than <see cref="NotificationOptions.ReadRetention"/>;</item>
/// <item>any notification older than <see cref="NotificationOptions.NotificationRetention"/>;</item>
/// <item>notifications that never showed in the app (e-mail or Telegram only) older than
/// <see cref="NotificationOptions.FinishedRetention"/> once their outbox rows are gone;</item>
/// <item>finished jobs older than <see cref="NotificationOptions.FinishedRetention"/> that no notification
/// refers to any more (the inbox reads a notification's content from its job, so a job stays while
/// one of its notifications does).</item>
/// </list>
/// A notification with an outbox row still pending is never deleted. Every DELETE takes at most
/// <see cref="NotificationOptions.PruneBatchSize"/> rows (a notification's cascade adds at most its
/// two outbox rows) in its own transaction, and skips rows another transaction has locked, so
/// pruning never waits on the workers and never holds locks for long.
/// </summary>
public sealed class NotificationRetentionStore(NpgsqlDataSource dataSource, IOptions<NotificationOptions> options)
{
    private const string PendingOutbox =
        "EXISTS (SELECT 1 FROM notification_outbox o WHERE o.notification_id = n.id AND o.status = 'pending')";

    private static readonly Rule[] Rules =
    [
        new(Table.Outbox, "notification_outbox", """
            SELECT id FROM notification_outbox
             WHERE status <> 'pending' AND created_at < now() - @finished
             LIMIT @batch FOR UPDATE SKIP LOCKED
            """),
        new(Table.Notifications, "notifications", $"""
            SELECT n.id FROM notifications n
             WHERE n.read_at IS NOT NULL AND n.read_at < now() - @read AND NOT {PendingOutbox}
             LIMIT @batch FOR UPDATE SKIP LOCKED
            """),
        new(Table.Notifications, "notifications", $"""
            SELECT n.id FROM notifications n
             WHERE n.created_at < now() - @retention AND NOT {PendingOutbox}
             LIMIT @batch FOR UPDATE SKIP LOCKED
            """),
        new(Table.Notifications, "notifications", """
            SELECT n.id FROM notifications n
             WHERE NOT n.in_app AND n.created_at < now() - @finished
               AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.notification_id = n.id)
             LIMIT @batch FOR UPDATE SKIP LOCKED
            """),
        new(Table.Jobs, "notification_jobs", """
            SELECT j.id FROM notification_jobs j
             WHERE j.done_at IS NOT NULL AND j.done_at < now() - @finished
               AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.job_id = j.id)
             LIMIT @batch FOR UPDATE SKIP LOCKED
            """),
    ];

    private enum Table
    {
        Outbox,
        Notifications,
        Jobs,
    }

    /// <summary>One pass over every rule, each until a batch comes back short.</summary>
    public async Task<NotificationPruneResult> PruneAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var batch = Math.Max(1, o.PruneBatchSize);
        int outbox = 0, notifications = 0, jobs = 0, batches = 0, largest = 0;
        foreach (var rule in Rules)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var deleted = await dataSource.Sql($"DELETE FROM {rule.Target} WHERE id IN ({rule.Select})")
                    .With("finished", o.FinishedRetention)
                    .With("read", o.ReadRetention)
                    .With("retention", o.NotificationRetention)
                    .With("batch", batch)
                    .ExecuteAsync(cancellationToken);
                batches++;
                largest = Math.Max(largest, deleted);
                switch (rule.Table)
                {
                    case Table.Outbox:
                        outbox += deleted;
                        break;
                    case Table.Notifications:
                        notifications += deleted;
                        break;
                    default:
                        jobs += deleted;
                        break;
                }

                if (deleted < batch)
                {
                    break;
                }
            }
        }

        return new NotificationPruneResult(outbox, notifications, jobs, batches, largest);
    }

    private sealed record Rule(Table Table, string Target, string Select);
}

/// <summary>Rows deleted per table (outbox rows removed by a notification's cascade are not counted), DELETE statements run, and the most one of them removed.</summary>
public sealed record NotificationPruneResult(int OutboxRows, int Notifications, int Jobs, int Batches, int LargestBatch)
{
    public int Total => OutboxRows + Notifications + Jobs;
}
