using System.Text.Json;
using WgStream.GrainInterfaces.Notifications;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Notifications;

[Collection(NotificationsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class NotificationsApiTests(NotificationsFixture fixture)
{
    private const string Follow = "mutation($c: ID!) { follow(channelId: $c) { followerCount } }";
    private const string Settings = "{ notificationSettings { telegramLinked inApp { streamStarted newFollower newSponsor channelVerified security } email { streamStarted newFollower newSponsor channelVerified security } telegram { streamStarted newFollower security } } }";
    private const string UpdateSettings = "mutation($i: UpdateNotificationSettingsInput!) { updateNotificationSettings(input: $i) { inApp { newFollower } email { newFollower security streamStarted } telegram { newFollower } } }";

    private FakeTelegramBotApi Telegram => fixture.Telegram;

    [Fact]
    public async Task Telegram_links_by_deep_link_and_unlinks_by_stop_and_by_the_mutation()
    {
        const long chat = 5001;
        var client = fixture.CreateClient();
        var alice = await client.RegisterAsync();
        Assert.True((await client.DataAsync("{ notificationSettings { telegramAvailable } }")).GetProperty("notificationSettings").GetProperty("telegramAvailable").GetBoolean());
        var link = (await client.DataAsync("mutation { connectTelegram { url expiresAt } }")).GetProperty("connectTelegram");
        var token = NotificationsFixture.StartToken(link.GetProperty("url").GetString()!);
        Assert.True(link.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        // Only a hash is stored.
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM telegram_link_tokens WHERE token_hash = @t OR token_hash = upper(@t)", new { t = token }));
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM telegram_link_tokens WHERE user_id = @u", new { u = alice.Id }));

        Telegram.SendText(chat, $"/start {token}");
        var welcome = await Telegram.WaitForMessageAsync(chat, t => t.Contains("connected to", StringComparison.Ordinal));
        Assert.Contains(alice.Username, welcome.Text, StringComparison.Ordinal);
        Assert.Contains("\"chat_id\":5001", welcome.Json, StringComparison.Ordinal);
        Assert.True((await client.DataAsync(Settings)).GetProperty("notificationSettings").GetProperty("telegramLinked").GetBoolean());

        // The token worked once.
        Telegram.SendText(5002, $"/start {token}");
        await Telegram.WaitForMessageAsync(5002, t => t.Contains("invalid or has expired", StringComparison.Ordinal));

        // /me: the profile with its follower count.
        var bob = fixture.CreateClient();
        await bob.RegisterAsync();
        await bob.DataAsync(Follow, new { c = alice.Id });
        Telegram.SendText(chat, "/me");
        var me = await Telegram.WaitForMessageAsync(chat, t => t.Contains("Followers:", StringComparison.Ordinal));
        Assert.Contains(alice.Username, me.Text, StringComparison.Ordinal);
        Assert.Contains("Followers: 1", me.Text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationsFixture.Site}/{alice.Username}", me.Text, StringComparison.Ordinal);

        var sent = Telegram.SentTo(chat).Count;
        Telegram.SendText(chat, "/stop");
        await Telegram.WaitForMessageAsync(chat, t => t.StartsWith("Disconnected", StringComparison.Ordinal), skip: sent);
        Assert.False((await client.DataAsync(Settings)).GetProperty("notificationSettings").GetProperty("telegramLinked").GetBoolean());

        // Linked again, then unlinked from the site.
        await fixture.LinkTelegramAsync(client, chat);
        Assert.True((await client.DataAsync(Settings)).GetProperty("notificationSettings").GetProperty("telegramLinked").GetBoolean());
        Assert.True((await client.DataAsync("mutation { disconnectTelegram }")).GetProperty("disconnectTelegram").GetBoolean());
        Assert.False((await client.DataAsync(Settings)).GetProperty("notificationSettings").GetProperty("telegramLinked").GetBoolean());
        Assert.False((await client.DataAsync("mutation { disconnectTelegram }")).GetProperty("disconnectTelegram").GetBoolean());
        var before = Telegram.SentTo(chat).Count;
        Telegram.SendText(chat, "/me");
        await Telegram.WaitForMessageAsync(chat, t => t.Contains("not connected", StringComparison.Ordinal), skip: before);
    }

    [Fact]
    public async Task Follows_lists_the_channels_the_linked_account_follows()
    {
        const long chat = 5101;
        var viewer = fixture.CreateClient();
        await viewer.RegisterAsync();
        await fixture.LinkTelegramAsync(viewer, chat);

        var before = Telegram.SentTo(chat).Count;
        Telegram.SendText(chat, "/follows");
        await Telegram.WaitForMessageAsync(chat, t => t.Contains("don't follow any channels", StringComparison.Ordinal), skip: before);

        var first = await fixture.CreateClient().RegisterAsync();
        var second = await fixture.CreateClient().RegisterAsync();
        await viewer.DataAsync(Follow, new { c = first.Id });
        await viewer.DataAsync(Follow, new { c = second.Id });

        before = Telegram.SentTo(chat).Count;
        Telegram.SendText(chat, "/follows@wg_test_bot");
        var list = await Telegram.WaitForMessageAsync(chat, t => t.StartsWith("You follow:", StringComparison.Ordinal), skip: before);
        Assert.Contains($"{NotificationsFixture.Site}/{first.Username}", list.Text, StringComparison.Ordinal);
        Assert.Contains($"{NotificationsFixture.Site}/{second.Username}", list.Text, StringComparison.Ordinal);

        // Not linked: the bot says how to link instead of listing anyone's follows.
        before = Telegram.SentTo(5102).Count;
        Telegram.SendText(5102, "/follows");
        await Telegram.WaitForMessageAsync(5102, t => t.Contains("not connected", StringComparison.Ordinal), skip: before);
    }

    [Fact]
    public async Task A_new_follower_reaches_the_owner_in_app_by_e_mail_and_on_Telegram_once()
    {
        const long chat = 6001;
        var (owner, ownerAccount) = await fixture.RegisterVerifiedAsync();
        await fixture.LinkTelegramAsync(owner, chat);
        var follower = fixture.CreateClient();
        var fan = await follower.RegisterAsync();

        await follower.DataAsync(Follow, new { c = ownerAccount.Id });
        await follower.DataAsync(Follow, new { c = ownerAccount.Id });
        // Unfollowing and following again within a day is not news either (a loop used to mail the owner each time).
        await follower.DataAsync("mutation($c: ID!) { unfollow(channelId: $c) { id } }", new { c = ownerAccount.Id });
        await follower.DataAsync(Follow, new { c = ownerAccount.Id });

        var notification = await NotificationsFixture.WaitForNotificationAsync(owner, n => n.GetProperty("kind").GetString() == "NEW_FOLLOWER");
        Assert.Equal(fan.Username, notification.GetProperty("actorUsername").GetString());
        Assert.Equal($"{fan.Username} followed your channel", notification.GetProperty("title").GetString());
        Assert.Equal($"{NotificationsFixture.Site}/{fan.Username}", notification.GetProperty("url").GetString());
        Assert.False(notification.GetProperty("read").GetBoolean());

        var mail = await fixture.Mail.WaitForAsync(ownerAccount.Email, m => m.Subject == $"{fan.Username} followed your channel");
        Assert.Contains($"{fan.Username} is now following your channel", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{NotificationsFixture.Site}/{fan.Username}\">", mail.HtmlBody, StringComparison.Ordinal);

        var message = await Telegram.WaitForMessageAsync(chat, t => t.Contains($"{fan.Username} followed your channel", StringComparison.Ordinal));
        Assert.Contains($"{NotificationsFixture.Site}/{fan.Username}", message.Text, StringComparison.Ordinal);

        // Neither the second follow nor the follow after an unfollow was published.
        Assert.Equal(1L, await fixture.ScalarAsync<long>(
            "SELECT count(*) FROM notification_jobs WHERE kind = 'NewFollower' AND payload->>'channelId' = @c", new { c = ownerAccount.Id.ToString() }));
        await fixture.WaitForSqlAsync<long>(
            "SELECT count(*) FROM notification_outbox WHERE user_id = @u AND status = 'delivered'", n => n == 2, new { u = ownerAccount.Id });
        Assert.Single(Telegram.SentTo(chat), m => m.Text.Contains(fan.Username, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Settings_are_honoured_and_security_e_mail_cannot_be_turned_off()
    {
        const long chat = 6101;
        var (owner, ownerAccount) = await fixture.RegisterVerifiedAsync();
        await fixture.LinkTelegramAsync(owner, chat);

        var defaults = (await owner.DataAsync(Settings)).GetProperty("notificationSettings");
        Assert.False(defaults.GetProperty("email").GetProperty("streamStarted").GetBoolean());
        Assert.True(defaults.GetProperty("email").GetProperty("newFollower").GetBoolean());
        Assert.True(defaults.GetProperty("email").GetProperty("security").GetBoolean());
        Assert.True(defaults.GetProperty("telegram").GetProperty("streamStarted").GetBoolean());
        Assert.All(defaults.GetProperty("inApp").EnumerateObject(), p => Assert.True(p.Value.GetBoolean(), p.Name));

        var updated = (await owner.DataAsync(UpdateSettings, new { i = new { email = new { newFollower = false } } })).GetProperty("updateNotificationSettings");
        Assert.False(updated.GetProperty("email").GetProperty("newFollower").GetBoolean());
        Assert.True(updated.GetProperty("inApp").GetProperty("newFollower").GetBoolean());
        Assert.True(updated.GetProperty("telegram").GetProperty("newFollower").GetBoolean());

        // Security e-mail: refused, and nothing changes.
        var refused = await owner.SendAsync(UpdateSettings, new { i = new { email = new { security = false, streamStarted = true } } });
        refused.AssertError("BAD_USER_INPUT");
        Assert.Equal("email.security", refused.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        Assert.False((await owner.DataAsync(Settings)).GetProperty("notificationSettings").GetProperty("email").GetProperty("streamStarted").GetBoolean());

        // E-mail off for new followers: in-app and Telegram only.
        var first = fixture.CreateClient();
        var firstFan = await first.RegisterAsync();
        await first.DataAsync(Follow, new { c = ownerAccount.Id });
        var notification = await NotificationsFixture.WaitForNotificationAsync(owner, n => n.GetProperty("actorUsername").GetString() == firstFan.Username);
        var media = await fixture.ScalarAsync<string[]>(
            "SELECT array_agg(medium ORDER BY medium) FROM notification_outbox WHERE notification_id = @n", new { n = long.Parse(notification.GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(["telegram"], media);
        await Telegram.WaitForMessageAsync(chat, t => t.Contains(firstFan.Username, StringComparison.Ordinal));

        // Everything off for new followers: no notification at all.
        await owner.DataAsync(UpdateSettings, new { i = new { inApp = new { newFollower = false }, telegram = new { newFollower = false } } });
        var second = fixture.CreateClient();
        var secondFan = await second.RegisterAsync();
        await second.DataAsync(Follow, new { c = ownerAccount.Id });
        var job = await fixture.WaitForSqlAsync<long>(
            "SELECT id FROM notification_jobs WHERE payload->>'followerId' = @f AND done_at IS NOT NULL", id => id > 0, new { f = secondFan.Id.ToString() });
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE job_id = @j", new { j = job }));

        // Security notices still arrive by e-mail (and in-app).
        await owner.DataAsync(
            "mutation($o: String!, $n: String!) { changePassword(currentPassword: $o, newPassword: $n) }",
            new { o = ownerAccount.Password, n = "another-Pass-99" });
        var security = await fixture.Mail.WaitForAsync(ownerAccount.Email, m => m.Subject == "Your password was changed");
        Assert.Contains("/settings/security", security.TextBody, StringComparison.Ordinal);
        Assert.Contains("always sent", security.TextBody, StringComparison.Ordinal);
        var inApp = await NotificationsFixture.WaitForNotificationAsync(owner, n => n.GetProperty("kind").GetString() == "SECURITY");
        Assert.Equal("PASSWORD_CHANGED", inApp.GetProperty("securityKind").GetString());
        Assert.DoesNotContain(fixture.Mail.Messages, m => m.Subject?.Contains(firstFan.Username, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_failing_Telegram_server_is_retried_with_backoff_and_the_message_delivered_once()
    {
        const long chat = 7001;
        var (owner, ownerAccount) = await fixture.RegisterVerifiedAsync();
        await fixture.LinkTelegramAsync(owner, chat);
        Telegram.FailNext(chat, 3);

        var follower = fixture.CreateClient();
        var fan = await follower.RegisterAsync();
        await follower.DataAsync(Follow, new { c = ownerAccount.Id });

        await Telegram.WaitForMessageAsync(chat, t => t.Contains(fan.Username, StringComparison.Ordinal));
        var attempts = await fixture.WaitForSqlAsync<int>(
            "SELECT attempts FROM notification_outbox WHERE user_id = @u AND medium = 'telegram' AND status = 'delivered'", n => n > 0, new { u = ownerAccount.Id });
        Assert.Equal(4, attempts);
        Assert.Contains("Internal Server Error", await fixture.ScalarAsync<string>(
            "SELECT last_error FROM notification_outbox WHERE user_id = @u AND medium = 'telegram'", new { u = ownerAccount.Id }), StringComparison.Ordinal);

        var failures = Telegram.FailedTo(chat);
        Assert.Equal(3, failures.Count);
        Assert.Single(Telegram.SentTo(chat), m => m.Text.Contains(fan.Username, StringComparison.Ordinal));

        // Exponential backoff: each wait at least the base doubled per attempt (less the 10% jitter).
        var times = failures.Select(f => f.At).Append(Telegram.SentTo(chat).Single(m => m.Text.Contains(fan.Username, StringComparison.Ordinal)).At).ToList();
        for (var i = 1; i < times.Count; i++)
        {
            var minimum = NotificationsFixture.RetryBase * Math.Pow(2, i - 1) * 0.9 - TimeSpan.FromMilliseconds(20);
            Assert.True(times[i] - times[i - 1] >= minimum, $"Retry {i} came after {(times[i] - times[i - 1]).TotalMilliseconds} ms, before {minimum.TotalMilliseconds} ms.");
        }
    }

    [Fact]
    public async Task Going_live_fans_out_to_every_follower_in_batches()
    {
        const long chat = 9001;
        const int bulk = 5000;
        var streamer = fixture.CreateClient();
        var streamerAccount = await streamer.RegisterAsync();
        var viewer = fixture.CreateClient();
        await viewer.RegisterAsync();
        await fixture.LinkTelegramAsync(viewer, chat);
        await viewer.DataAsync(Follow, new { c = streamerAccount.Id });
        await using (var insert = fixture.Database.DataSource.CreateCommand(
            "INSERT INTO follows (channel_id, follower_id) SELECT @c, gen_random_uuid() FROM generate_series(1, @n)"))
        {
            insert.Parameters.AddWithValue("c", streamerAccount.Id);
            insert.Parameters.AddWithValue("n", bulk);
            await insert.ExecuteNonQueryAsync();
        }

        await fixture.PublishAsync(new StreamStartedEvent(DateTimeOffset.UtcNow, streamerAccount.Id, Guid.NewGuid(), "Speedrun any%", "games"));

        var job = await fixture.WaitForSqlAsync<long>(
            "SELECT id FROM notification_jobs WHERE kind = 'StreamStarted' AND payload->>'channelId' = @c AND done_at IS NOT NULL",
            id => id > 0, new { c = streamerAccount.Id.ToString() }, TimeSpan.FromSeconds(60));
        Assert.Equal(2, await fixture.ScalarAsync<int>("SELECT batches FROM notification_jobs WHERE id = @j", new { j = job }));
        Assert.Equal(bulk + 1, await fixture.ScalarAsync<int>("SELECT recipients FROM notification_jobs WHERE id = @j", new { j = job }));
        Assert.Equal(bulk + 1L, await fixture.ScalarAsync<long>("SELECT count(DISTINCT user_id) FROM notifications WHERE job_id = @j AND in_app", new { j = job }));
        // Go-live e-mail is opt-in; Telegram goes to the one linked follower.
        Assert.Equal("telegram", await fixture.ScalarAsync<string>(
            "SELECT string_agg(o.medium, ',') FROM notification_outbox o JOIN notifications n ON n.id = o.notification_id WHERE n.job_id = @j", new { j = job }));

        var live = await NotificationsFixture.WaitForNotificationAsync(viewer, n => n.GetProperty("kind").GetString() == "STREAM_STARTED");
        Assert.Equal("Speedrun any%", live.GetProperty("streamTitle").GetString());
        Assert.Equal(streamerAccount.Username, live.GetProperty("channelUsername").GetString());
        Assert.Equal("games", live.GetProperty("categorySlug").GetString());
        Assert.Equal($"{streamerAccount.Username} is live: Speedrun any%", live.GetProperty("title").GetString());
        Assert.Equal($"{streamerAccount.Username} started streaming “Speedrun any%” in Games.", live.GetProperty("text").GetString());

        var message = await Telegram.WaitForMessageAsync(chat, t => t.Contains("is live", StringComparison.Ordinal));
        Assert.Contains($"{NotificationsFixture.Site}/{streamerAccount.Username}", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unread_count_paging_and_marking_read()
    {
        var owner = fixture.CreateClient();
        var ownerAccount = await owner.RegisterAsync();
        var fans = new List<GraphQLClient>();
        for (var i = 0; i < 3; i++)
        {
            var fan = fixture.CreateClient();
            await fan.RegisterAsync();
            await fan.DataAsync(Follow, new { c = ownerAccount.Id });
            fans.Add(fan);
        }

        await fixture.WaitForSqlAsync<long>("SELECT count(*) FROM notifications WHERE user_id = @u AND in_app", n => n == 3, new { u = ownerAccount.Id });
        Assert.Equal(3, (await owner.DataAsync("{ unreadNotificationCount }")).GetProperty("unreadNotificationCount").GetInt32());

        const string Page = "query($a: String) { notifications(first: 2, after: $a) { edges { cursor node { id read } } pageInfo { hasNextPage endCursor } } }";
        var page1 = (await owner.DataAsync(Page, new { a = (string?)null })).GetProperty("notifications");
        Assert.True(page1.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var page2 = (await owner.DataAsync(Page, new { a = page1.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).GetProperty("notifications");
        Assert.False(page2.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var ids = page1.GetProperty("edges").EnumerateArray().Concat(page2.GetProperty("edges").EnumerateArray())
            .Select(e => long.Parse(e.GetProperty("node").GetProperty("id").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(3, ids.Distinct().Count());
        (await owner.SendAsync(Page, new { a = "not-a-cursor" })).AssertError("BAD_USER_INPUT");

        const string Mark = "mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }";
        Assert.Equal(2, (await owner.DataAsync(Mark, new { ids = new[] { ids[0].ToString(System.Globalization.CultureInfo.InvariantCulture) } })).GetProperty("markNotificationsRead").GetInt32());
        var read = (await owner.DataAsync(Page, new { a = (string?)null })).GetProperty("notifications").GetProperty("edges")[0].GetProperty("node");
        Assert.True(read.GetProperty("read").GetBoolean());

        // Someone else's ids are not theirs to mark.
        Assert.Equal(0, (await fans[0].DataAsync(Mark, new { ids = ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() })).GetProperty("markNotificationsRead").GetInt32());
        Assert.Equal(2, (await owner.DataAsync("{ unreadNotificationCount }")).GetProperty("unreadNotificationCount").GetInt32());
        (await owner.SendAsync(Mark, new { ids = new[] { "abc" } })).AssertError("BAD_USER_INPUT");

        Assert.Equal(0, (await owner.DataAsync("mutation { markNotificationsRead }")).GetProperty("markNotificationsRead").GetInt32());
        Assert.Equal(0, (await owner.DataAsync("{ unreadNotificationCount }")).GetProperty("unreadNotificationCount").GetInt32());
        (await fixture.CreateClient().SendAsync("{ unreadNotificationCount }")).AssertError("UNAUTHENTICATED");
    }

    [Fact]
    public async Task NotificationAdded_arrives_over_graphql_transport_ws()
    {
        var owner = fixture.CreateClient();
        var ownerAccount = await owner.RegisterAsync();
        await using var ws = await WsTestClient.ConnectAsync(fixture.WebSocketUri);
        await ws.InitAsync(ownerAccount.Token);
        await ws.SendAsync(new { id = "n", type = "subscribe", payload = new { query = "subscription { notificationAdded { id kind actorUsername title read } }" } });
        // Answered only after the subscription above is in place: messages are handled in order.
        await ws.SendAsync(new { type = "ping" });
        Assert.Equal("pong", (await ws.ReceiveAsync())?.GetProperty("type").GetString());

        var fan = fixture.CreateClient();
        var fanAccount = await fan.RegisterAsync();
        await fan.DataAsync(Follow, new { c = ownerAccount.Id });

        var next = await ws.ReceiveAsync(TimeSpan.FromSeconds(15));
        Assert.Equal("next", next?.GetProperty("type").GetString());
        Assert.Equal("n", next?.GetProperty("id").GetString());
        var added = next!.Value.GetProperty("payload").GetProperty("data").GetProperty("notificationAdded");
        Assert.Equal("NEW_FOLLOWER", added.GetProperty("kind").GetString());
        Assert.Equal(fanAccount.Username, added.GetProperty("actorUsername").GetString());
        Assert.False(added.GetProperty("read").GetBoolean());
        var listed = await NotificationsFixture.WaitForNotificationAsync(owner, n => n.GetProperty("kind").GetString() == "NEW_FOLLOWER");
        Assert.Equal(listed.GetProperty("id").GetString(), added.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Pending_outbox_rows_survive_an_api_restart()
    {
        const long chat = 8001;
        var (owner, ownerAccount) = await fixture.RegisterVerifiedAsync();
        await fixture.LinkTelegramAsync(owner, chat);
        Telegram.FailNext(chat, int.MaxValue);
        var follower = fixture.CreateClient();
        var fan = await follower.RegisterAsync();
        await follower.DataAsync(Follow, new { c = ownerAccount.Id });
        await fixture.WaitForSqlAsync<int>(
            "SELECT attempts FROM notification_outbox WHERE user_id = @u AND medium = 'telegram' AND status = 'pending'", n => n >= 1, new { u = ownerAccount.Id });

        await fixture.Api.StopAsync();
        Telegram.FailNext(chat, 0);
        await fixture.Api.StartAsync();

        await Telegram.WaitForMessageAsync(chat, t => t.Contains(fan.Username, StringComparison.Ordinal));
        await fixture.WaitForSqlAsync<string>(
            "SELECT status FROM notification_outbox WHERE user_id = @u AND medium = 'telegram'", s => s == "delivered", new { u = ownerAccount.Id });
        Assert.Single(Telegram.SentTo(chat), m => m.Text.Contains(fan.Username, StringComparison.Ordinal));
    }
}
