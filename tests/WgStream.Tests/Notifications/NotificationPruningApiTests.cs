using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Notifications;

/// <summary>The running Api prunes by itself: its pruning service (interval from <c>WG_Notifications__PruneInterval</c>) removes what has aged out and leaves the rest.</summary>
[Collection(NotificationsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class NotificationPruningApiTests(NotificationsFixture fixture)
{
    private const string Follow = "mutation($c: ID!) { follow(channelId: $c) { followerCount } }";

    [Fact]
    public async Task A_notification_read_long_ago_is_pruned_with_its_outbox_row_and_job_and_a_fresh_one_stays()
    {
        var (owner, ownerAccount) = await fixture.RegisterVerifiedAsync();
        var early = fixture.CreateClient();
        var earlyFan = await early.RegisterAsync();
        await early.DataAsync(Follow, new { c = ownerAccount.Id });
        var old = await NotificationsFixture.WaitForNotificationAsync(owner, n => n.GetProperty("actorUsername").GetString() == earlyFan.Username);
        var oldId = long.Parse(old.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        await fixture.WaitForSqlAsync<string>("SELECT status FROM notification_outbox WHERE notification_id = @n", s => s == "delivered", new { n = oldId });
        await owner.DataAsync("mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }", new { ids = new[] { old.GetProperty("id").GetString() } });

        var late = fixture.CreateClient();
        var lateFan = await late.RegisterAsync();
        await late.DataAsync(Follow, new { c = ownerAccount.Id });
        var fresh = await NotificationsFixture.WaitForNotificationAsync(owner, n => n.GetProperty("actorUsername").GetString() == lateFan.Username);

        // Age the first one as if it had been read 40 days ago (retention for read ones: 30 days).
        var job = await fixture.ScalarAsync<long>("SELECT job_id FROM notifications WHERE id = @n", new { n = oldId });
        await fixture.ScalarAsync<int>("""
            WITH n AS (UPDATE notifications SET created_at = now() - interval '41 days', read_at = now() - interval '40 days' WHERE id = @n),
                 o AS (UPDATE notification_outbox SET created_at = now() - interval '41 days' WHERE notification_id = @n),
                 j AS (UPDATE notification_jobs SET done_at = now() - interval '41 days' WHERE id = @j)
            SELECT 1
            """, new { n = oldId, j = job });

        await fixture.WaitForSqlAsync<long>("SELECT count(*) FROM notification_jobs WHERE id = @j", c => c == 0, new { j = job });
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE id = @n", new { n = oldId }));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM notification_outbox WHERE notification_id = @n", new { n = oldId }));

        var listed = (await owner.DataAsync(NotificationsFixture.NotificationsQuery)).GetProperty("notifications").GetProperty("edges")
            .EnumerateArray().Select(e => e.GetProperty("node").GetProperty("id").GetString()).ToList();
        Assert.Contains(fresh.GetProperty("id").GetString(), listed);
        Assert.DoesNotContain(old.GetProperty("id").GetString(), listed);
        Assert.Equal(1, (await owner.DataAsync("{ unreadNotificationCount }")).GetProperty("unreadNotificationCount").GetInt32());
    }
}
