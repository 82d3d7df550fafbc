using Microsoft.Extensions.Options;
using Npgsql;
using WgStream.Grains.Notifications;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Notifications;

/// <summary>
/// <see cref="NotificationRetentionStore"/> against real PostgreSQL (a fresh database per test): which rows
/// each retention rule removes and keeps, bounded batches, and rows locked by another transaction
/// skipped rather than waited for.
/// </summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class NotificationPruningTests : IAsyncLifetime
{
    private static readonly TimeSpan Fresh = TimeSpan.FromDays(1);
    private static readonly TimeSpan Finished = TimeSpan.FromDays(10);
    private static readonly TimeSpan LongAgo = TimeSpan.FromDays(100);

    private TestDatabase database = null!;

    public async Task InitializeAsync() => database = await TestDatabase.CreateAsync();

    public async Task DisposeAsync() => await database.DisposeAsync();

    private NotificationRetentionStore Pruner(int batch) => new(database.DataSource, Options.Create(new NotificationOptions
    {
        PruneBatchSize = batch,
        FinishedRetention = TimeSpan.FromDays(7),
        ReadRetention = TimeSpan.FromDays(30),
        NotificationRetention = TimeSpan.FromDays(90),
    }));

    [Fact]
    public async Task Each_rule_removes_what_it_should_and_nothing_that_is_still_needed()
    {
        var user = Guid.NewGuid();
        // Read 40 days ago: the notification, its settled e-mail and then its job go.
        var j1 = await JobAsync(done: Finished);
        var n1 = await NotificationAsync(j1, user, inApp: true, created: TimeSpan.FromDays(45), read: TimeSpan.FromDays(40));
        var o1 = await OutboxAsync(n1, user, "delivered", created: TimeSpan.FromDays(45));
        // Unread and 10 days old: the notification (and so its job) stays; its failed outbox row goes.
        var j2 = await JobAsync(done: Finished);
        var n2 = await NotificationAsync(j2, user, inApp: true, created: Finished);
        var o2 = await OutboxAsync(n2, user, "failed", created: Finished);
        // Read 5 days ago: stays.
        var j3 = await JobAsync(done: Finished);
        var n3 = await NotificationAsync(j3, user, inApp: true, created: Finished, read: TimeSpan.FromDays(5));
        // Unread but past the 90-day retention: goes, and its job with it.
        var j4 = await JobAsync(done: LongAgo);
        var n4 = await NotificationAsync(j4, user, inApp: true, created: LongAgo);
        // Past retention, but an outbox row is still pending: all of it stays.
        var j5 = await JobAsync(done: LongAgo);
        var n5 = await NotificationAsync(j5, user, inApp: true, created: LongAgo);
        var o5 = await OutboxAsync(n5, user, "pending", created: LongAgo);
        // E-mail only, delivered 10 days ago: outbox row, notification and job go.
        var j6 = await JobAsync(done: Finished);
        var n6 = await NotificationAsync(j6, user, inApp: false, created: Finished);
        var o6 = await OutboxAsync(n6, user, "delivered", created: Finished);
        // E-mail only, still being retried: stays.
        var j7 = await JobAsync(done: Finished);
        var n7 = await NotificationAsync(j7, user, inApp: false, created: Finished);
        var o7 = await OutboxAsync(n7, user, "pending", created: Finished);
        // Finished yesterday: stays. Not finished (a fan-out in progress) however old: stays.
        var j8 = await JobAsync(done: Fresh);
        var j9 = await JobAsync(done: null, created: TimeSpan.FromDays(30));
        // Given up 10 days ago, nobody notified: goes.
        var j10 = await JobAsync(done: Finished, failed: true);
        // Everything yesterday: stays.
        var j11 = await JobAsync(done: Fresh);
        var n11 = await NotificationAsync(j11, user, inApp: true, created: Fresh);
        var o11 = await OutboxAsync(n11, user, "delivered", created: Fresh);
        // A fan-out of 20 e-mail-only notifications, all delivered 10 days ago: more than a batch.
        var j12 = await JobAsync(done: Finished);
        var bulkNotifications = new List<long>();
        var bulkOutbox = new List<long>();
        for (var i = 0; i < 20; i++)
        {
            var n = await NotificationAsync(j12, Guid.NewGuid(), inApp: false, created: Finished);
            bulkNotifications.Add(n);
            bulkOutbox.Add(await OutboxAsync(n, user, "delivered", created: Finished));
        }

        var result = await Pruner(batch: 3).PruneAsync(CancellationToken.None);

        Assert.Equal([j2, j3, j5, j7, j8, j9, j11], await RemainingAsync("notification_jobs"));
        Assert.Equal([n2, n3, n5, n7, n11], await RemainingAsync("notifications"));
        Assert.Equal([o5, o7, o11], await RemainingAsync("notification_outbox"));
        Assert.Equal(new NotificationPruneResult(OutboxRows: 23, Notifications: 23, Jobs: 5, result.Batches, LargestBatch: 3), result);
        Assert.DoesNotContain(o1, await RemainingAsync("notification_outbox"));
        Assert.DoesNotContain(o2, await RemainingAsync("notification_outbox"));
        Assert.DoesNotContain(o6, await RemainingAsync("notification_outbox"));
        Assert.Empty((await RemainingAsync("notifications")).Intersect(bulkNotifications.Concat([n1, n4, n6])));
        Assert.Empty((await RemainingAsync("notification_outbox")).Intersect(bulkOutbox));
        Assert.Empty((await RemainingAsync("notification_jobs")).Intersect([j1, j4, j6, j10, j12]));

        // Nothing left to do: a second pass deletes nothing.
        Assert.Equal(0, (await Pruner(batch: 3).PruneAsync(CancellationToken.None)).Total);
    }

    [Fact]
    public async Task Rows_another_transaction_holds_are_skipped_not_waited_for()
    {
        var user = Guid.NewGuid();
        var job = await JobAsync(done: Finished);
        var keptJob = await JobAsync(done: Fresh);
        var notification = await NotificationAsync(keptJob, user, inApp: true, created: Fresh);
        var outbox = await OutboxAsync(notification, user, "delivered", created: Finished);

        await using (var other = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await other.BeginTransactionAsync())
        {
            await using (var hold = new NpgsqlCommand(
                "SELECT 1 FROM notification_jobs WHERE id = @j FOR UPDATE; SELECT 1 FROM notification_outbox WHERE id = @o FOR UPDATE", other, transaction))
            {
                hold.Parameters.AddWithValue("j", job);
                hold.Parameters.AddWithValue("o", outbox);
                await hold.ExecuteNonQueryAsync();
            }

            // Were the pass to wait for those locks it would run into this bound and throw.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var blocked = await Pruner(batch: 10).PruneAsync(bound.Token);
            Assert.Equal(0, blocked.Total);
            Assert.Contains(job, await RemainingAsync("notification_jobs"));
            Assert.Contains(outbox, await RemainingAsync("notification_outbox"));
            await transaction.CommitAsync();
        }

        var released = await Pruner(batch: 10).PruneAsync(CancellationToken.None);
        Assert.Equal((1, 0, 1), (released.OutboxRows, released.Notifications, released.Jobs));
        Assert.Equal([keptJob], await RemainingAsync("notification_jobs"));
        Assert.Empty(await RemainingAsync("notification_outbox"));
    }

    private async Task<long> JobAsync(TimeSpan? done, bool failed = false, TimeSpan? created = null)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO notification_jobs (kind, payload, at, created_at, done_at, failed)
            VALUES ('Security', '{}', now() - @created, now() - @created, now() - @done, @failed) RETURNING id
            """);
        command.Parameters.AddWithValue("created", created ?? done ?? TimeSpan.Zero);
        command.Parameters.Add(new NpgsqlParameter("done", NpgsqlTypes.NpgsqlDbType.Interval) { Value = (object?)done ?? DBNull.Value });
        command.Parameters.AddWithValue("failed", failed);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> NotificationAsync(long job, Guid user, bool inApp, TimeSpan created, TimeSpan? read = null)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO notifications (user_id, job_id, kind, in_app, created_at, read_at)
            VALUES (@user, @job, 'Security', @in_app, now() - @created, now() - @read) RETURNING id
            """);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("in_app", inApp);
        command.Parameters.AddWithValue("created", created);
        command.Parameters.Add(new NpgsqlParameter("read", NpgsqlTypes.NpgsqlDbType.Interval) { Value = (object?)read ?? DBNull.Value });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> OutboxAsync(long notification, Guid user, string status, TimeSpan created)
    {
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO notification_outbox (notification_id, medium, user_id, status, created_at, delivered_at)
            VALUES (@notification, 'email', @user, @status, now() - @created, CASE WHEN @status = 'delivered' THEN now() - @created END) RETURNING id
            """);
        command.Parameters.AddWithValue("notification", notification);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("status", status);
        command.Parameters.AddWithValue("created", created);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<List<long>> RemainingAsync(string table)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT id FROM {table} ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
