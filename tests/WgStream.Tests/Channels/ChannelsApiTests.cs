using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Channels;

[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelsApiTests(ApiFixture fixture)
{
    private const string ChannelFields = "id username displayName bio followerCount isLive verified followedByMe socialLinks { id title url } avatarUrl bannerUrl";

    [Fact]
    public async Task A_follow_unfollow_loop_is_rate_limited_per_account()
    {
        var channel = await fixture.CreateClient().RegisterAsync();
        var fan = fixture.CreateClient();
        fan.Token = (await fan.RegisterAsync()).Token;
        GraphQLResponse? last = null;
        for (var i = 0; i < 61; i++)
        {
            last = await fan.SendAsync(
                i % 2 == 0 ? "mutation($c: ID!) { follow(channelId: $c) { id } }" : "mutation($c: ID!) { unfollow(channelId: $c) { id } }",
                new { c = channel.Id });
            Assert.True(i == 60 || last.Succeeded, last.Body);
        }

        // 60 in ten minutes (RateLimits:FollowPerAccount); the 61st waits, with its retry time.
        last!.AssertError("RATE_LIMITED");
        Assert.True(last.FirstError.GetProperty("extensions").GetProperty("retryAfterSeconds").GetInt32() > 0);
    }

    [Fact]
    public async Task Every_new_account_owns_a_channel_named_after_it()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        var channel = await ChannelAsync(fixture.CreateClient(), account.Username.ToUpperInvariant());
        Assert.Equal(account.Id.ToString(), channel.GetProperty("id").GetString());
        Assert.Equal(account.Username, channel.GetProperty("displayName").GetString());
        Assert.Equal(0, channel.GetProperty("followerCount").GetInt32());
        Assert.False(channel.GetProperty("isLive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, channel.GetProperty("avatarUrl").ValueKind);

        var missing = await fixture.CreateClient().DataAsync("{ channel(username: \"no_such_channel\") { id } }");
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("channel").ValueKind);
    }

    [Fact]
    public async Task Owners_edit_display_name_and_bio_within_limits()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        const string update = "mutation($i: UpdateChannelInput!) { updateChannel(input: $i) { displayName bio } }";

        var updated = (await client.DataAsync(update, new { i = new { displayName = "  Ж\u0000ива Студія 🎮 ", bio = "Line one\nline two\u0007" } })).GetProperty("updateChannel");
        Assert.Equal("Жива Студія 🎮", updated.GetProperty("displayName").GetString());
        Assert.Equal("Line one\nline two", updated.GetProperty("bio").GetString());

        (await client.SendAsync(update, new { i = new { displayName = "   " } })).AssertError("BAD_USER_INPUT");
        (await client.SendAsync(update, new { i = new { displayName = new string('x', 41) } })).AssertError("BAD_USER_INPUT");
        (await client.SendAsync(update, new { i = new { bio = new string('x', 301) } })).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync(update, new { i = new { bio = "hi" } })).AssertError("UNAUTHENTICATED");

        var page = await ChannelAsync(fixture.CreateClient(), account.Username);
        Assert.Equal("Жива Студія 🎮", page.GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Social_links_are_added_edited_reordered_and_removed_with_http_urls_only()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        const string add = "mutation($t: String!, $u: String!) { addSocialLink(title: $t, url: $u) { socialLinks { id title url } } }";

        await client.DataAsync(add, new { t = "YouTube", u = "https://youtube.com/@me" });
        await client.DataAsync(add, new { t = "Site", u = "http://example.com/a b" });
        var links = (await client.DataAsync(add, new { t = "Telegram", u = "https://t.me/me" })).GetProperty("addSocialLink").GetProperty("socialLinks");
        Assert.Equal(["YouTube", "Site", "Telegram"], links.EnumerateArray().Select(l => l.GetProperty("title").GetString()));
        Assert.Equal("http://example.com/a%20b", links[1].GetProperty("url").GetString());

        foreach (var bad in new[] { "javascript:alert(1)", "ftp://example.com", "/relative", "data:text/html,hi", "https://" })
        {
            (await client.SendAsync(add, new { t = "Bad", u = bad })).AssertError("BAD_USER_INPUT");
        }

        var ids = links.EnumerateArray().Select(l => l.GetProperty("id").GetString()!).ToList();
        var reordered = (await client.DataAsync("mutation($ids: [ID!]!) { reorderSocialLinks(ids: $ids) { socialLinks { title } } }", new { ids = new[] { ids[2], ids[0], ids[1] } }))
            .GetProperty("reorderSocialLinks").GetProperty("socialLinks");
        Assert.Equal(["Telegram", "YouTube", "Site"], reordered.EnumerateArray().Select(l => l.GetProperty("title").GetString()));
        (await client.SendAsync("mutation($ids: [ID!]!) { reorderSocialLinks(ids: $ids) { id } }", new { ids = new[] { ids[0], ids[1] } })).AssertError("BAD_USER_INPUT");

        await client.DataAsync("mutation($id: ID!) { updateSocialLink(id: $id, title: \"Blog\", url: \"https://blog.example.com\") { id } }", new { id = ids[1] });
        var removed = (await client.DataAsync("mutation($id: ID!) { removeSocialLink(id: $id) { socialLinks { title url } } }", new { id = ids[0] }))
            .GetProperty("removeSocialLink").GetProperty("socialLinks");
        Assert.Equal(["Telegram", "Blog"], removed.EnumerateArray().Select(l => l.GetProperty("title").GetString()));
        (await client.SendAsync("mutation($id: ID!) { removeSocialLink(id: $id) { id } }", new { id = ids[0] })).AssertError("NOT_FOUND");
        (await client.SendAsync("mutation { removeSocialLink(id: \"not-a-guid\") { id } }")).AssertError("BAD_USER_INPUT");

        var page = await ChannelAsync(fixture.CreateClient(), account.Username);
        Assert.Equal(2, page.GetProperty("socialLinks").GetArrayLength());
    }

    [Fact]
    public async Task Follows_are_idempotent_not_self_and_listed_newest_first_with_cursors()
    {
        var streamer = fixture.CreateClient();
        var channel = await streamer.RegisterAsync();
        var fans = new List<(GraphQLClient Client, TestAccount Account)>();
        for (var i = 0; i < 5; i++)
        {
            var fan = fixture.CreateClient();
            fans.Add((fan, await fan.RegisterAsync()));
        }

        const string follow = "mutation($c: ID!) { follow(channelId: $c) { followerCount followedByMe } }";
        (await streamer.SendAsync(follow, new { c = channel.Id })).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync(follow, new { c = channel.Id })).AssertError("UNAUTHENTICATED");
        (await fans[0].Client.SendAsync(follow, new { c = Guid.NewGuid() })).AssertError("NOT_FOUND");

        foreach (var (fan, _) in fans)
        {
            var followed = (await fan.DataAsync(follow, new { c = channel.Id })).GetProperty("follow");
            Assert.True(followed.GetProperty("followedByMe").GetBoolean());
        }

        var again = (await fans[0].Client.DataAsync(follow, new { c = channel.Id })).GetProperty("follow");
        Assert.Equal(5, again.GetProperty("followerCount").GetInt32());

        const string followers = "query($c: ID!, $after: String) { followers(channelId: $c, first: 2, after: $after) { edges { cursor followedAt node { username } } pageInfo { hasNextPage endCursor } } }";
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var page = (await streamer.DataAsync(followers, new { c = channel.Id, after })).GetProperty("followers");
            seen.AddRange(page.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("username").GetString()!));
            after = page.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean() ? page.GetProperty("pageInfo").GetProperty("endCursor").GetString() : null;
            pages++;
        }
        while (after is not null);
        Assert.Equal(3, pages);
        Assert.Equal(fans.Select(f => f.Account.Username).Reverse(), seen);

        var following = (await fans[0].Client.DataAsync("{ following(first: 10) { edges { node { id username } } pageInfo { hasNextPage } } }")).GetProperty("following");
        Assert.Equal(channel.Username, Assert.Single(following.GetProperty("edges").EnumerateArray()).GetProperty("node").GetProperty("username").GetString());

        var unfollowed = (await fans[0].Client.DataAsync("mutation($c: ID!) { unfollow(channelId: $c) { followerCount followedByMe } }", new { c = channel.Id })).GetProperty("unfollow");
        Assert.Equal(4, unfollowed.GetProperty("followerCount").GetInt32());
        Assert.False(unfollowed.GetProperty("followedByMe").GetBoolean());
        Assert.Equal(4, (await ChannelAsync(fixture.CreateClient(), channel.Username)).GetProperty("followerCount").GetInt32());

        (await streamer.SendAsync("query($c: ID!) { followers(channelId: $c, after: \"bogus!\") { pageInfo { hasNextPage } } }", new { c = channel.Id })).AssertError("BAD_USER_INPUT");
        (await streamer.SendAsync("query($c: ID!) { followers(channelId: $c, first: 500) { pageInfo { hasNextPage } } }", new { c = channel.Id })).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync("{ following { pageInfo { hasNextPage } } }")).AssertError("UNAUTHENTICATED");
    }

    [Fact]
    public async Task Search_is_case_insensitive_prefix_first_and_paged()
    {
        var stem = $"srch{Guid.NewGuid():N}"[..12];
        var names = new[] { $"{stem}_b", $"{stem}_a", $"{stem}_c" };
        foreach (var name in names)
        {
            await fixture.CreateClient().RegisterAsync(name);
        }

        var lookalike = fixture.CreateClient();
        await lookalike.RegisterAsync($"zz{Guid.NewGuid():N}"[..10]);
        await lookalike.DataAsync("mutation($i: UpdateChannelInput!) { updateChannel(input: $i) { id } }", new { i = new { displayName = $"Fan of {stem.ToUpperInvariant()}" } });

        const string search = "query($q: String!, $after: String) { searchChannels(query: $q, first: 2, after: $after) { edges { node { username displayName } } pageInfo { hasNextPage endCursor } } }";
        var client = fixture.CreateClient();
        var first = (await client.DataAsync(search, new { q = stem.ToUpperInvariant(), after = (string?)null })).GetProperty("searchChannels");
        var second = (await client.DataAsync(search, new { q = stem, after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString() })).GetProperty("searchChannels");
        var found = first.GetProperty("edges").EnumerateArray().Concat(second.GetProperty("edges").EnumerateArray())
            .Select(e => e.GetProperty("node").GetProperty("username").GetString()).ToList();
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.False(second.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal(names.Order(StringComparer.Ordinal).Append(found[3]), found);
        Assert.StartsWith("Fan of", second.GetProperty("edges")[1].GetProperty("node").GetProperty("displayName").GetString(), StringComparison.Ordinal);

        (await client.SendAsync(search, new { q = " ", after = (string?)null })).AssertError("BAD_USER_INPUT");
        var none = (await client.DataAsync(search, new { q = "%_%", after = (string?)null })).GetProperty("searchChannels");
        Assert.Equal(0, none.GetProperty("edges").GetArrayLength());
    }

    [Fact]
    public async Task Categories_are_listed_in_the_callers_language_and_the_live_directory_pages()
    {
        var client = fixture.CreateClient();
        var categories = (await client.DataAsync("{ categories { slug name nameUk } }")).GetProperty("categories");
        Assert.Contains(categories.EnumerateArray(), c => c.GetProperty("slug").GetString() == "just-chatting" && c.GetProperty("name").GetString() == "Just Chatting");

        var live = (await client.DataAsync("{ liveChannels(first: 5, category: \"games\") { edges { node { username viewerCount } } pageInfo { hasNextPage endCursor } } }")).GetProperty("liveChannels");
        Assert.False(live.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        (await client.SendAsync("{ liveChannels(first: 0) { pageInfo { hasNextPage } } }")).AssertError("BAD_USER_INPUT");
    }

    private static async Task<JsonElement> ChannelAsync(GraphQLClient client, string username) =>
        (await client.DataAsync($"query($u: String!) {{ channel(username: $u) {{ {ChannelFields} }} }}", new { u = username })).GetProperty("channel");
}
