using System.Net;
using System.Text.Json;
using OtpNet;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;
using static WgStream.Tests.Accounts.AccountChangeTests;

namespace WgStream.Tests.Accounts;

/// <summary>
/// deactivateAccount: everything signed out and hidden at once, sign-in during the grace period
/// reactivates, and at the deadline (a real reminder, grace shortened by the fixture) the account
/// is erased.
/// </summary>
[Collection(AccountLifecycleCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class AccountDeactivationTests(AccountLifecycleFixture fixture)
{
    private const string Deactivate = "mutation($p: String!, $t: String) { deactivateAccount(currentPassword: $p, totpCode: $t) { deactivatedAt deletionAt } }";
    private const string Login = "mutation($i: LoginInput!) { login(input: $i) { token reactivated user { username } } }";
    private const string ChannelByName = "query($u: String!) { channel(username: $u) { id followerCount } }";
    private const string Follow = "mutation($c: ID!) { follow(channelId: $c) { followerCount } }";
    private const string SendChat = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { seq } }";

    [Fact]
    public async Task Deactivation_signs_out_hides_the_channel_and_a_sign_in_within_the_grace_brings_it_back()
    {
        const long chat = 7101;
        var (owner, account) = await fixture.RegisterVerifiedAsync();
        await fixture.LinkTelegramAsync(owner, chat);
        var second = fixture.CreateClient();
        second.Token = await fixture.LoginAsync(second, account.Username, account.Password);
        var fan = fixture.CreateClient();
        await fan.RegisterAsync();
        await fan.DataAsync(Follow, new { c = account.Id });

        (await fixture.CreateClient().SendAsync(Deactivate, new { p = account.Password })).AssertError("UNAUTHENTICATED");
        AssertField(await owner.SendAsync(Deactivate, new { p = "not-the-Password-1" }), "BAD_USER_INPUT", "currentPassword");
        await owner.DataAsync(Me);

        var before = DateTimeOffset.UtcNow;
        var deactivation = (await owner.DataAsync(Deactivate, new { p = account.Password })).GetProperty("deactivateAccount");
        var deletionAt = deactivation.GetProperty("deletionAt").GetDateTimeOffset();
        Assert.InRange(deletionAt, before + AccountLifecycleFixture.Grace - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + AccountLifecycleFixture.Grace);

        // Every session is over; the channel is gone from its page, search, follows and chat.
        (await owner.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);
        (await second.SendAsync(Me)).AssertError("UNAUTHENTICATED", HttpStatusCode.Unauthorized);
        Assert.Equal(JsonValueKind.Null, (await fan.DataAsync(ChannelByName, new { u = account.Username })).GetProperty("channel").ValueKind);
        var search = (await fan.DataAsync("query($q: String!) { searchChannels(query: $q) { edges { node { id } } } }", new { q = account.Username })).GetProperty("searchChannels").GetProperty("edges");
        Assert.DoesNotContain(search.EnumerateArray(), e => e.GetProperty("node").GetProperty("id").GetString() == account.Id.ToString());
        Assert.Empty((await fan.DataAsync("{ following { edges { node { id } } } }")).GetProperty("following").GetProperty("edges").EnumerateArray());
        var newcomer = fixture.CreateClient();
        await newcomer.RegisterAsync();
        (await newcomer.SendAsync(Follow, new { c = account.Id })).AssertError("NOT_FOUND");
        (await fan.SendAsync(SendChat, new { c = account.Id, t = "anyone there?" })).AssertError("NOT_FOUND");

        // The owner hears of it by e-mail and on Telegram, with the deadline.
        var mail = await fixture.Mail.WaitForAsync(account.Email, m => m.Subject == "Your account was deactivated");
        Assert.Contains("sign in before then to keep it", mail.TextBody, StringComparison.Ordinal);
        await fixture.Telegram.WaitForMessageAsync(chat, t => t.Contains("Your account was deactivated", StringComparison.Ordinal));

        // Signing in within the grace period reactivates, and says so.
        var again = fixture.CreateClient();
        var login = (await again.DataAsync(Login, new { i = new { login = account.Username, password = account.Password } })).GetProperty("login");
        Assert.True(login.GetProperty("reactivated").GetBoolean());
        again.Token = login.GetProperty("token").GetString();
        Assert.Equal(account.Id.ToString(), (await fan.DataAsync(ChannelByName, new { u = account.Username })).GetProperty("channel").GetProperty("id").GetString());
        await fan.DataAsync(SendChat, new { c = account.Id, t = "welcome back" });
        await fixture.Mail.WaitForAsync(account.Email, m => m.Subject == "Your account is active again");
        var next = (await fixture.CreateClient().DataAsync(Login, new { i = new { login = account.Username, password = account.Password } })).GetProperty("login");
        Assert.False(next.GetProperty("reactivated").GetBoolean());

        // The deletion was cancelled: past the old deadline the account is still there.
        await Task.Delay(deletionAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(3));
        Assert.Equal(account.Username, (await again.DataAsync(Me)).GetProperty("me").GetProperty("username").GetString());
        Assert.Equal(1, (await fan.DataAsync(ChannelByName, new { u = account.Username })).GetProperty("channel").GetProperty("followerCount").GetInt32());
    }

    [Fact]
    public async Task At_the_deadline_the_account_is_erased_notified_first_and_its_traces_detached()
    {
        const long chat = 7201;
        var (owner, account) = await fixture.RegisterVerifiedAsync();
        await fixture.LinkTelegramAsync(owner, chat);
        var secret = (await owner.DataAsync("mutation($p: String!) { enableTotp(currentPassword: $p) { secret } }", new { p = account.Password })).GetProperty("enableTotp").GetProperty("secret").GetString()!;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        await owner.DataAsync("mutation($c: String!) { confirmTotp(code: $c) }", new { c = totp.ComputeTotp() });
        var images = (await fixture.UploadAsync("avatar", account.Token, TestImages.Png(300, 300)))
            .Concat(await fixture.UploadAsync("banner", account.Token, TestImages.Png(1200, 480))).ToList();
        using (var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress })
        {
            // An emote, whose files, row and prefix go with the account.
            var emote = await Chat.EmoteApiTests.UploadAsync(http, account.Token, TestImages.Png(64, 64), "Hype");
            Assert.Equal(HttpStatusCode.OK, emote.Status);
            images.AddRange(emote.Json.GetProperty("emote").GetProperty("images").EnumerateArray().Select(i => i.GetProperty("url").GetString()!));
        }

        await owner.DataAsync("mutation { addSocialLink(title: \"Site\", url: \"https://example.com/me\") { id } }");
        await owner.DataAsync("mutation { updateNotificationSettings(input: {email: {newFollower: false}}) { email { newFollower } } }");

        // Someone follows the owner; the owner follows and chats in another channel.
        var fan = fixture.CreateClient();
        var fanAccount = await fan.RegisterAsync();
        await fan.DataAsync(Follow, new { c = account.Id });
        var host = fixture.CreateClient();
        var hostAccount = await host.RegisterAsync();
        Assert.Equal(1, (await owner.DataAsync(Follow, new { c = hostAccount.Id })).GetProperty("follow").GetProperty("followerCount").GetInt32());
        await owner.DataAsync(SendChat, new { c = hostAccount.Id, t = "hello from the owner" });
        var sessionId = account.Token.Split('.')[0];

        // With 2FA on, the code is needed too.
        AssertField(await owner.SendAsync(Deactivate, new { p = account.Password }), "BAD_USER_INPUT", "totpCode");
        AssertField(await owner.SendAsync(Deactivate, new { p = account.Password, t = "000000" }), "BAD_USER_INPUT", "totpCode");
        await owner.DataAsync(Deactivate, new { p = account.Password, t = totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)) });

        // The deadline passes; the reminder deletes the account.
        await fixture.WaitForSqlAsync<long>("SELECT count(*) FROM accounts WHERE user_id = @u", n => n == 0, new { u = account.Id }, TimeSpan.FromSeconds(60));

        // The notice went out first, by e-mail and Telegram.
        await fixture.Mail.WaitForAsync(account.Email, m => m.Subject == "Your account was deleted");
        await fixture.Telegram.WaitForMessageAsync(chat, t => t.Contains("Your account was deleted", StringComparison.Ordinal));

        // Nothing signs in as it or shows it; the follows both ways are gone with the counts right.
        (await fixture.CreateClient().SendAsync(Login, new { i = new { login = account.Username, password = account.Password, totpCode = totp.ComputeTotp() } }))
            .AssertError("UNAUTHENTICATED");
        Assert.Equal(JsonValueKind.Null, (await fan.DataAsync(ChannelByName, new { u = account.Username })).GetProperty("channel").ValueKind);
        Assert.Equal(0, (await host.DataAsync(ChannelByName, new { u = hostAccount.Username })).GetProperty("channel").GetProperty("followerCount").GetInt32());
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM follows WHERE channel_id = @u OR follower_id = @u", new { u = account.Id }));
        Assert.Empty((await fan.DataAsync("{ following { edges { node { id } } } }")).GetProperty("following").GetProperty("edges").EnumerateArray());
        foreach (var url in images)
        {
            Assert.Equal(HttpStatusCode.NotFound, await fixture.GetStatusAsync(url));
        }

        // Personal data is erased everywhere it was kept.
        foreach (var table in new[] { "channels WHERE channel_id", "channel_emotes WHERE channel_id", "emote_prefixes WHERE channel_id", "telegram_links WHERE user_id", "notification_settings WHERE user_id", "notifications WHERE user_id", "stream_keys WHERE channel_id" })
        {
            Assert.Equal(0L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM {table} = @u", new { u = account.Id }));
        }

        // The session's stored state (address, user agent) is cleared: the provider keeps the row, without a payload.
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM orleans_storage WHERE grain_id_extension_string = @s AND payload_binary IS NOT NULL", new { s = sessionId }));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM notification_jobs WHERE payload->>'userId' = @u", new { u = account.Id.ToString() }));

        // Chat keeps the message, from a deleted user.
        var history = (await host.DataAsync("query($c: ID!) { chatMessages(channelId: $c, last: 10) { messages { text username } } }", new { c = hostAccount.Id }))
            .GetProperty("chatMessages").GetProperty("messages").EnumerateArray().Single();
        Assert.Equal("hello from the owner", history.GetProperty("text").GetString());
        Assert.Equal("deleted-user", history.GetProperty("username").GetString());
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM chat_messages WHERE sender_id = @u AND username = 'deleted-user'", new { u = account.Id }));

        // The e-mail address is free again; the username stays reserved for a while.
        const string register = "mutation($i: RegisterInput!) { register(input: $i) { token } }";
        AssertField(await fixture.CreateClient().SendAsync(register, new { i = new { username = account.Username, email = $"n{Guid.NewGuid():N}@example.test", password = "correct-Horse-7" } }), "BAD_USER_INPUT", "username");
        await fixture.CreateClient().DataAsync(register, new { i = new { username = $"n{Guid.NewGuid():N}"[..16], email = account.Email, password = "correct-Horse-7" } });
        Assert.Equal(fanAccount.Username, (await fan.DataAsync(Me)).GetProperty("me").GetProperty("username").GetString());
    }

    private const string Me = "{ me { username } }";
}
