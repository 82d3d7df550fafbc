using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Chat;

/// <summary>Every chat rule through the GraphQL API of the running app.</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChatApiTests(ApiFixture fixture)
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id seq username color badges text fragments { kind text imageUrl } } }";

    [Fact]
    public async Task Messages_are_cleaned_parsed_into_fragments_and_kept_in_history()
    {
        var (owner, channel) = await NewChannelAsync();
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();

        var sent = (await viewer.DataAsync(Send, new { c = channel.Id, t = "  hi\u0007 there 👋🏽 :wgHype: :notAnEmote:\n" })).GetProperty("sendChatMessage");
        Assert.Equal("hi there 👋🏽 :wgHype: :notAnEmote:", sent.GetProperty("text").GetString());
        Assert.Equal(viewerAccount.Username, sent.GetProperty("username").GetString());
        Assert.Matches("^#[0-9A-F]{6}$", sent.GetProperty("color").GetString());
        Assert.Equal(0, sent.GetProperty("badges").GetArrayLength());
        var fragments = sent.GetProperty("fragments").EnumerateArray().Select(f => (f.GetProperty("kind").GetString(), f.GetProperty("text").GetString())).ToList();
        Assert.Equal(
            [("TEXT", "hi there "), ("EMOJI", "👋🏽"), ("TEXT", " "), ("EMOTE", ":wgHype:"), ("TEXT", " :notAnEmote:")],
            fragments);
        Assert.Equal("/emotes/wgHype.svg", sent.GetProperty("fragments")[3].GetProperty("imageUrl").GetString());

        var own = (await owner.DataAsync(Send, new { c = channel.Id, t = "welcome" })).GetProperty("sendChatMessage");
        Assert.Equal(["broadcaster"], own.GetProperty("badges").EnumerateArray().Select(b => b.GetString()));
        Assert.True(long.Parse(own.GetProperty("seq").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            > long.Parse(sent.GetProperty("seq").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        var history = (await fixture.CreateClient().DataAsync("query($c: ID!) { chatMessages(channelId: $c) { messages { text } hasPreviousPage } }", new { c = channel.Id })).GetProperty("chatMessages");
        Assert.Equal(["hi there 👋🏽 :wgHype: :notAnEmote:", "welcome"], history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.False(history.GetProperty("hasPreviousPage").GetBoolean());

        (await viewer.SendAsync(Send, new { c = channel.Id, t = " \u0001 " })).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync(Send, new { c = channel.Id, t = new string('a', 501) })).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync(Send, new { c = channel.Id, t = "anon" })).AssertError("UNAUTHENTICATED");
        (await viewer.SendAsync(Send, new { c = Guid.NewGuid(), t = "nobody home" })).AssertError("NOT_FOUND");
    }

    [Fact]
    public async Task History_scrolls_back_with_cursors()
    {
        var (owner, channel) = await NewChannelAsync();
        for (var i = 1; i <= 7; i++)
        {
            await owner.DataAsync(Send, new { c = channel.Id, t = $"m{i}" });
        }

        const string page = "query($c: ID!, $b: String) { chatMessages(channelId: $c, last: 3, before: $b) { messages { text } hasPreviousPage startCursor } }";
        var newest = (await owner.DataAsync(page, new { c = channel.Id, b = (string?)null })).GetProperty("chatMessages");
        Assert.Equal(["m5", "m6", "m7"], Texts(newest));
        Assert.True(newest.GetProperty("hasPreviousPage").GetBoolean());
        var older = (await owner.DataAsync(page, new { c = channel.Id, b = newest.GetProperty("startCursor").GetString() })).GetProperty("chatMessages");
        Assert.Equal(["m2", "m3", "m4"], Texts(older));
        var oldest = (await owner.DataAsync(page, new { c = channel.Id, b = older.GetProperty("startCursor").GetString() })).GetProperty("chatMessages");
        Assert.Equal(["m1"], Texts(oldest));
        Assert.False(oldest.GetProperty("hasPreviousPage").GetBoolean());

        (await owner.SendAsync(page, new { c = channel.Id, b = "nonsense" })).AssertError("BAD_USER_INPUT");
        (await owner.SendAsync("query($c: ID!) { chatMessages(channelId: $c, last: 101) { hasPreviousPage } }", new { c = channel.Id })).AssertError("BAD_USER_INPUT");
    }

    [Fact]
    public async Task Moderators_delete_time_out_and_ban_and_bans_apply_to_the_very_next_message()
    {
        var (owner, channel) = await NewChannelAsync();
        var mod = fixture.CreateClient();
        var modAccount = await mod.RegisterAsync();
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();

        (await viewer.SendAsync("mutation($c: ID!, $u: ID!) { banUser(channelId: $c, userId: $u) }", new { c = channel.Id, u = modAccount.Id })).AssertError("FORBIDDEN");
        (await mod.SendAsync("mutation($c: ID!, $u: ID!) { addModerator(channelId: $c, userId: $u) }", new { c = channel.Id, u = modAccount.Id })).AssertError("FORBIDDEN");
        await owner.DataAsync("mutation($c: ID!, $u: ID!) { addModerator(channelId: $c, userId: $u) }", new { c = channel.Id, u = modAccount.Id });
        var room = (await mod.DataAsync("query($c: ID!) { chatRoom(channelId: $c) { canModerate moderatorIds bans { userId } } }", new { c = channel.Id })).GetProperty("chatRoom");
        Assert.True(room.GetProperty("canModerate").GetBoolean());
        Assert.Contains(modAccount.Id.ToString(), room.GetProperty("moderatorIds").EnumerateArray().Select(i => i.GetString()));
        Assert.Equal(JsonValueKind.Null, (await viewer.DataAsync("query($c: ID!) { chatRoom(channelId: $c) { bans { userId } } }", new { c = channel.Id })).GetProperty("chatRoom").GetProperty("bans").ValueKind);

        var modMessage = (await mod.DataAsync(Send, new { c = channel.Id, t = "I keep order" })).GetProperty("sendChatMessage");
        Assert.Equal(["moderator"], modMessage.GetProperty("badges").EnumerateArray().Select(b => b.GetString()));

        var bad = (await viewer.DataAsync(Send, new { c = channel.Id, t = "spam spam" })).GetProperty("sendChatMessage");
        await mod.DataAsync("mutation($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) }", new { c = channel.Id, m = bad.GetProperty("id").GetString() });
        Assert.DoesNotContain("spam spam", await HistoryAsync(channel.Id));

        await mod.DataAsync("mutation($c: ID!, $u: ID!) { timeoutUser(channelId: $c, userId: $u, seconds: 600, reason: \"calm down\") }", new { c = channel.Id, u = viewerAccount.Id });
        var timedOut = await viewer.SendAsync(Send, new { c = channel.Id, t = "but why" });
        timedOut.AssertError("FORBIDDEN");
        var extensions = timedOut.FirstError.GetProperty("extensions");
        Assert.Equal("timeout", extensions.GetProperty("field").GetString());
        Assert.InRange(extensions.GetProperty("retryAfterSeconds").GetInt32(), 590, 600);
        Assert.Contains("calm down", timedOut.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        (await mod.SendAsync("mutation($c: ID!, $u: ID!) { timeoutUser(channelId: $c, userId: $u, seconds: 0) }", new { c = channel.Id, u = viewerAccount.Id })).AssertError("BAD_USER_INPUT");

        await mod.DataAsync("mutation($c: ID!, $u: ID!) { unbanUser(channelId: $c, userId: $u) }", new { c = channel.Id, u = viewerAccount.Id });
        await viewer.DataAsync(Send, new { c = channel.Id, t = "sorry" });
        await mod.DataAsync("mutation($c: ID!, $u: ID!) { banUser(channelId: $c, userId: $u, reason: \"again\") }", new { c = channel.Id, u = viewerAccount.Id });
        (await viewer.SendAsync(Send, new { c = channel.Id, t = "let me in" })).AssertError("FORBIDDEN");
        Assert.DoesNotContain("sorry", await HistoryAsync(channel.Id));
        var myBan = (await viewer.DataAsync("query($c: ID!) { chatRoom(channelId: $c) { myBan { reason until } } }", new { c = channel.Id })).GetProperty("chatRoom").GetProperty("myBan");
        Assert.Equal("again", myBan.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, myBan.GetProperty("until").ValueKind);

        (await mod.SendAsync("mutation($c: ID!, $u: ID!) { banUser(channelId: $c, userId: $u) }", new { c = channel.Id, u = channel.Id })).AssertError("FORBIDDEN");
        await owner.DataAsync("mutation($c: ID!, $u: ID!) { removeModerator(channelId: $c, userId: $u) }", new { c = channel.Id, u = modAccount.Id });
        (await mod.SendAsync("mutation($c: ID!, $u: ID!) { unbanUser(channelId: $c, userId: $u) }", new { c = channel.Id, u = viewerAccount.Id })).AssertError("FORBIDDEN");
    }

    [Fact]
    public async Task The_room_names_its_moderators_to_everyone_and_its_banned_users_to_moderators_only()
    {
        var (owner, channel) = await NewChannelAsync();
        var mod = fixture.CreateClient();
        var modAccount = await mod.RegisterAsync();
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();
        const string room = "query($c: ID!) { chatRoom(channelId: $c) { moderators { id username } bans { userId reason user { id username } } } }";

        var empty = (await fixture.CreateClient().DataAsync(room, new { c = channel.Id })).GetProperty("chatRoom");
        Assert.Equal(0, empty.GetProperty("moderators").GetArrayLength());

        await owner.DataAsync("mutation($c: ID!, $u: ID!) { addModerator(channelId: $c, userId: $u) }", new { c = channel.Id, u = modAccount.Id });
        await mod.DataAsync("mutation($c: ID!, $u: ID!) { banUser(channelId: $c, userId: $u, reason: \"spam\") }", new { c = channel.Id, u = viewerAccount.Id });

        // Anyone (even signed out) sees who moderates, by name; nobody but the moderators sees the bans.
        foreach (var client in new[] { fixture.CreateClient(), viewer })
        {
            var seen = (await client.DataAsync(room, new { c = channel.Id })).GetProperty("chatRoom");
            var moderator = Assert.Single(seen.GetProperty("moderators").EnumerateArray());
            Assert.Equal(modAccount.Id.ToString(), moderator.GetProperty("id").GetString());
            Assert.Equal(modAccount.Username, moderator.GetProperty("username").GetString());
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("bans").ValueKind);
        }

        foreach (var client in new[] { owner, mod })
        {
            var ban = Assert.Single((await client.DataAsync(room, new { c = channel.Id })).GetProperty("chatRoom").GetProperty("bans").EnumerateArray());
            Assert.Equal(viewerAccount.Id.ToString(), ban.GetProperty("userId").GetString());
            Assert.Equal("spam", ban.GetProperty("reason").GetString());
            Assert.Equal(viewerAccount.Id.ToString(), ban.GetProperty("user").GetProperty("id").GetString());
            Assert.Equal(viewerAccount.Username, ban.GetProperty("user").GetProperty("username").GetString());
        }

        await owner.DataAsync("mutation($c: ID!, $u: ID!) { unbanUser(channelId: $c, userId: $u) }", new { c = channel.Id, u = viewerAccount.Id });
        await owner.DataAsync("mutation($c: ID!, $u: ID!) { removeModerator(channelId: $c, userId: $u) }", new { c = channel.Id, u = modAccount.Id });
        var after = (await owner.DataAsync(room, new { c = channel.Id })).GetProperty("chatRoom");
        Assert.Equal(0, after.GetProperty("moderators").GetArrayLength());
        Assert.Equal(0, after.GetProperty("bans").GetArrayLength());
    }

    [Fact]
    public async Task Chat_modes_refuse_with_the_rule_and_when_to_retry_and_exempt_the_broadcaster()
    {
        var (owner, channel) = await NewChannelAsync();
        var viewer = fixture.CreateClient();
        await viewer.RegisterAsync();
        const string settings = "mutation($c: ID!, $i: ChatSettingsInput!) { updateChatSettings(channelId: $c, input: $i) { enabled slowModeSeconds followersOnly followersOnlyMinutes emoteOnly sponsorsOnly } }";

        (await viewer.SendAsync(settings, new { c = channel.Id, i = new { slowModeSeconds = 30 } })).AssertError("FORBIDDEN");
        (await owner.SendAsync(settings, new { c = channel.Id, i = new { slowModeSeconds = -1 } })).AssertError("BAD_USER_INPUT");

        await owner.DataAsync(settings, new { c = channel.Id, i = new { slowModeSeconds = 30 } });
        await viewer.DataAsync(Send, new { c = channel.Id, t = "first" });
        var slow = await viewer.SendAsync(Send, new { c = channel.Id, t = "second" });
        slow.AssertError("RATE_LIMITED");
        Assert.Equal("slowMode", slow.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        Assert.InRange(slow.FirstError.GetProperty("extensions").GetProperty("retryAfterSeconds").GetInt32(), 25, 30);
        await owner.DataAsync(Send, new { c = channel.Id, t = "owner one" });
        await owner.DataAsync(Send, new { c = channel.Id, t = "owner two" });

        await owner.DataAsync(settings, new { c = channel.Id, i = new { slowModeSeconds = 0, followersOnly = true } });
        var notFollowing = await viewer.SendAsync(Send, new { c = channel.Id, t = "hello?" });
        notFollowing.AssertError("FORBIDDEN");
        Assert.Equal("followersOnly", notFollowing.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        await viewer.DataAsync("mutation($c: ID!) { follow(channelId: $c) { id } }", new { c = channel.Id });
        await Task.Delay(TimeSpan.FromSeconds(5.2)); // the "not following" answer is cached for 5 s
        await viewer.DataAsync(Send, new { c = channel.Id, t = "now I follow" });

        await owner.DataAsync(settings, new { c = channel.Id, i = new { followersOnlyMinutes = 10 } });
        var tooNew = await viewer.SendAsync(Send, new { c = channel.Id, t = "still new" });
        tooNew.AssertError("FORBIDDEN");
        Assert.InRange(tooNew.FirstError.GetProperty("extensions").GetProperty("retryAfterSeconds").GetInt32(), 500, 600);

        await owner.DataAsync(settings, new { c = channel.Id, i = new { followersOnly = false, emoteOnly = true } });
        (await viewer.SendAsync(Send, new { c = channel.Id, t = "words" })).AssertError("FORBIDDEN");
        await viewer.DataAsync(Send, new { c = channel.Id, t = "🔥 :wgGG:" });

        await owner.DataAsync(settings, new { c = channel.Id, i = new { emoteOnly = false, sponsorsOnly = true } });
        var notSponsor = await viewer.SendAsync(Send, new { c = channel.Id, t = "🔥" });
        notSponsor.AssertError("FORBIDDEN");
        Assert.Equal("sponsorsOnly", notSponsor.FirstError.GetProperty("extensions").GetProperty("field").GetString());
        await owner.DataAsync(Send, new { c = channel.Id, t = "sponsors and me" });

        var off = (await owner.DataAsync(settings, new { c = channel.Id, i = new { sponsorsOnly = false, enabled = false } })).GetProperty("updateChatSettings");
        Assert.False(off.GetProperty("enabled").GetBoolean());
        (await viewer.SendAsync(Send, new { c = channel.Id, t = "🔥" })).AssertError("FORBIDDEN");
        await owner.DataAsync(Send, new { c = channel.Id, t = "only me now" });
    }

    [Fact]
    public async Task Nickname_colours_come_from_a_palette_or_hex()
    {
        var (owner, channel) = await NewChannelAsync();
        const string MyColor = "{ me { chatColor } }";
        Assert.Matches("^#[0-9A-F]{6}$", (await owner.DataAsync(MyColor)).GetProperty("me").GetProperty("chatColor").GetString());
        Assert.Equal("#1E90FF", (await owner.DataAsync("mutation { updateChatColor(color: \"DodgerBlue\") }")).GetProperty("updateChatColor").GetString());
        Assert.Equal("#1E90FF", (await owner.DataAsync(MyColor)).GetProperty("me").GetProperty("chatColor").GetString());
        Assert.Equal("#ABCDEF", (await owner.DataAsync("mutation { updateChatColor(color: \"#abcdef\") }")).GetProperty("updateChatColor").GetString());
        (await owner.SendAsync("mutation { updateChatColor(color: \"#12345\") }")).AssertError("BAD_USER_INPUT");
        (await owner.SendAsync("mutation { updateChatColor(color: \"rainbow\") }")).AssertError("BAD_USER_INPUT");
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        var message = await fixture.CreateClient().DataAsync("query($c: ID!) { chatMessages(channelId: $c) { messages { color } } }", new { c = channel.Id });
        Assert.Equal(0, message.GetProperty("chatMessages").GetProperty("messages").GetArrayLength());
        var sent = (await owner.DataAsync(Send, new { c = channel.Id, t = "blue?" })).GetProperty("sendChatMessage");
        Assert.Equal("#ABCDEF", sent.GetProperty("color").GetString());
    }

    [Fact]
    public async Task The_emote_list_is_what_messages_turn_into_images_and_each_image_ships()
    {
        var emotes = (await fixture.CreateClient().DataAsync("{ emotes { name code imageUrl } }")).GetProperty("emotes").EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString()!, Code: e.GetProperty("code").GetString()!, Url: e.GetProperty("imageUrl").GetString()!))
            .ToList();
        Assert.Equal(["wgHype", "wgLove", "wgGG", "wgLol", "wgWave", "wgPog"], emotes.Select(e => e.Name));
        Assert.All(emotes, e => Assert.Equal($":{e.Name}:", e.Code));

        // The images ship in the Api's web root (served as static files; the browser tests load them).
        foreach (var emote in emotes)
        {
            Assert.StartsWith("/emotes/", emote.Url, StringComparison.Ordinal);
            var file = Path.Combine(RepoPaths.Root, "Api", "wwwroot", emote.Url.TrimStart('/'));
            Assert.True(File.Exists(file), $"{emote.Url} is not in Api/wwwroot.");
            Assert.Contains("<svg", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }

        // Every listed code, sent in one message, comes back as an emote fragment with the listed image.
        var (owner, channel) = await NewChannelAsync();
        var sent = (await owner.DataAsync(Send, new { c = channel.Id, t = string.Join(' ', emotes.Select(e => e.Code)) })).GetProperty("sendChatMessage");
        var images = sent.GetProperty("fragments").EnumerateArray()
            .Where(f => f.GetProperty("kind").GetString() == "EMOTE")
            .Select(f => (f.GetProperty("text").GetString(), f.GetProperty("imageUrl").GetString()));
        Assert.Equal(emotes.Select(e => ((string?)e.Code, (string?)e.Url)), images);
    }

    private async Task<(GraphQLClient Owner, TestAccount Channel)> NewChannelAsync()
    {
        var owner = fixture.CreateClient();
        return (owner, await owner.RegisterAsync());
    }

    private async Task<List<string?>> HistoryAsync(Guid channelId) =>
        Texts((await fixture.CreateClient().DataAsync("query($c: ID!) { chatMessages(channelId: $c) { messages { text } } }", new { c = channelId })).GetProperty("chatMessages"));

    private static List<string?> Texts(JsonElement history) =>
        history.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ToList();
}
