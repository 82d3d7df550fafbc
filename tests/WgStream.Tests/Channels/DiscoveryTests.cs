using System.Text.Json;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Channels.DiscoveryFixture;

namespace WgStream.Tests.Channels;

/// <summary>
/// recommendedChannels, randomLiveStreams, randomCategories and category(slug) over a real database,
/// with channels made live through the ingest callback. Tests in this collection run one at a time
/// and end their broadcasts, so each sees only its own live channels (plus offline ones of others).
/// </summary>
[Collection(DiscoveryCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class DiscoveryTests(DiscoveryFixture fixture)
{
    private const string Recommended = "query($n: Int) { recommendedChannels(first: $n) { id username isLive viewerCount categorySlug followerCount } }";

    [Fact]
    public async Task Recommendations_put_live_channels_first_by_viewers_boost_followed_categories_and_leave_out_own_and_followed()
    {
        // The viewer follows a music channel (live, 40 viewers) and is live themselves (100 viewers).
        var viewer = await fixture.StreamerAsync("games");
        var followed = await fixture.StreamerAsync("music");
        var games20 = await fixture.StreamerAsync("games");
        var music8 = await fixture.StreamerAsync("music");
        var games2 = await fixture.StreamerAsync("games");
        var art2a = await fixture.StreamerAsync("art");
        var art2b = await fixture.StreamerAsync("art");
        var popular = await fixture.StreamerAsync();
        var lessPopular = await fixture.StreamerAsync();
        var live = new[] { viewer, followed, games20, music8, games2, art2a, art2b };
        foreach (var streamer in live)
        {
            await streamer.GoLiveAsync();
        }

        await viewer.AddViewersAsync(100);
        await followed.AddViewersAsync(40);
        await games20.AddViewersAsync(20);
        await music8.AddViewersAsync(8);
        await games2.AddViewersAsync(2);
        await art2a.AddViewersAsync(2);
        await art2b.AddViewersAsync(2);
        await Follow(viewer, followed);
        foreach (var fan in new[] { games20, music8, games2 })
        {
            await Follow(fan, popular);
        }

        await Follow(games20, lessPopular);

        // The most followed channel of all, whose owner then deactivates the account: hidden everywhere.
        var gone = await fixture.StreamerAsync();
        foreach (var fan in new[] { games20, music8, games2, art2a })
        {
            await Follow(fan, gone);
        }

        await gone.Client.DataAsync("mutation($p: String!) { deactivateAccount(currentPassword: $p) { deactivatedAt } }", new { p = gone.Account.Password });

        // Viewer counts reach the directory on the next flush.
        var expectedViewers = new Dictionary<string, int>
        {
            [viewer.Id] = 100,
            [followed.Id] = 40,
            [games20.Id] = 20,
            [music8.Id] = 8,
            [games2.Id] = 2,
            [art2a.Id] = 2,
            [art2b.Id] = 2,
        };
        await EventuallyAsync(
            async () => Nodes((await fixture.CreateClient().DataAsync("{ liveChannels(first: 50) { edges { node { id viewerCount } } } }"))
                .GetProperty("liveChannels").GetProperty("edges")).Select(e => e.GetProperty("node")).ToList(),
            listed => expectedViewers.All(x => listed.Any(n => Id(n) == x.Key && n.GetProperty("viewerCount").GetInt32() == x.Value)),
            "viewer counts in the directory");

        var ours = live.Append(popular).Append(lessPopular).Select(s => s.Id).ToHashSet();
        var ties = new[] { games2.Id, art2a.Id, art2b.Id }.Order(StringComparer.Ordinal).ToArray();

        // Signed in: music (the followed channel's category) counts triple: (8 + 1) × 3 = 27 > 20 + 1.
        // Ties (3 each) go by channel id; offline channels follow, most followed first.
        var forViewer = Nodes((await viewer.Client.DataAsync(Recommended, new { n = 50 })).GetProperty("recommendedChannels"));
        Assert.Equal(forViewer.Count, forViewer.Select(Id).Distinct().Count());
        Assert.DoesNotContain(forViewer, n => Id(n) == viewer.Id || Id(n) == followed.Id || Id(n) == gone.Id);
        Assert.Equal(
            new[] { music8.Id, games20.Id }.Concat(ties).Append(popular.Id).Append(lessPopular.Id),
            forViewer.Select(Id).Where(ours.Contains));
        var firstOffline = forViewer.FindIndex(n => !n.GetProperty("isLive").GetBoolean());
        Assert.True(firstOffline > 0);
        Assert.All(forViewer.Skip(firstOffline), n => Assert.False(n.GetProperty("isLive").GetBoolean()));
        Assert.Equal(
            forViewer.Skip(firstOffline).Select(n => n.GetProperty("followerCount").GetInt32()).OrderDescending(),
            forViewer.Skip(firstOffline).Select(n => n.GetProperty("followerCount").GetInt32()));

        // Signed out: nobody to leave out and no taste, so plain viewers.
        var anonymous = Nodes((await fixture.CreateClient().DataAsync(Recommended, new { n = 50 })).GetProperty("recommendedChannels"));
        Assert.DoesNotContain(anonymous, n => Id(n) == gone.Id);
        Assert.Equal(
            new[] { viewer.Id, followed.Id, games20.Id, music8.Id }.Concat(ties).Append(popular.Id).Append(lessPopular.Id),
            anonymous.Select(Id).Where(ours.Contains));

        // Enough live channels: no offline ones; the same answer twice.
        var top = Nodes((await viewer.Client.DataAsync(Recommended, new { n = 3 })).GetProperty("recommendedChannels"));
        Assert.Equal(new[] { music8.Id, games20.Id, ties[0] }, top.Select(Id));
        Assert.Equal(top.Select(Id), Nodes((await viewer.Client.DataAsync(Recommended, new { n = 3 })).GetProperty("recommendedChannels")).Select(Id));

        (await fixture.CreateClient().SendAsync(Recommended, new { n = 0 })).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync(Recommended, new { n = 51 })).AssertError("BAD_USER_INPUT");

        foreach (var streamer in live)
        {
            await streamer.EndAsync();
        }

        // Nothing live any more: the most followed channels, the viewer's own and followed ones still left out.
        var fallback = Nodes((await viewer.Client.DataAsync(Recommended, new { n = 2 })).GetProperty("recommendedChannels"));
        Assert.Equal(new[] { popular.Id, lessPopular.Id }, fallback.Select(Id));
    }

    [Fact]
    public async Task Random_live_streams_are_live_distinct_and_really_vary()
    {
        var streamers = new List<Streamer>();
        for (var i = 0; i < 6; i++)
        {
            var streamer = await fixture.StreamerAsync(i % 2 == 0 ? "irl" : "sports");
            await streamer.GoLiveAsync();
            streamers.Add(streamer);
        }

        const string random = "query($n: Int) { randomLiveStreams(first: $n) { id isLive streamTitle } }";
        var everyLive = await LiveIdsAsync();
        Assert.Superset(streamers.Select(s => s.Id).ToHashSet(), everyLive);

        var seen = new HashSet<string>();
        var orders = new HashSet<string>();
        for (var i = 0; i < 30; i++)
        {
            var sample = Nodes((await fixture.CreateClient().DataAsync(random, new { n = 3 })).GetProperty("randomLiveStreams"));
            Assert.Equal(3, sample.Count);
            Assert.Equal(3, sample.Select(Id).Distinct().Count());
            Assert.All(sample, n => Assert.True(n.GetProperty("isLive").GetBoolean()));
            Assert.All(sample, n => Assert.Equal("On air", n.GetProperty("streamTitle").GetString()));
            seen.UnionWith(sample.Select(Id));
            orders.Add(string.Join(',', sample.Select(Id)));
        }

        // Each of 6 channels misses all 30 draws of 3 with probability 2^-30.
        Assert.Superset(streamers.Select(s => s.Id).ToHashSet(), seen);
        Assert.True(orders.Count > 5, $"Only {orders.Count} different samples in 30.");

        // Asking for more than are live gives each live channel once.
        var all = Nodes((await fixture.CreateClient().DataAsync(random, new { n = 50 })).GetProperty("randomLiveStreams")).Select(Id).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(everyLive.Order(), all.Order());

        (await fixture.CreateClient().SendAsync(random, new { n = 0 })).AssertError("BAD_USER_INPUT");
        (await fixture.CreateClient().SendAsync(random, new { n = 51 })).AssertError("BAD_USER_INPUT");

        foreach (var streamer in streamers)
        {
            await streamer.EndAsync();
        }

        var after = Nodes((await fixture.CreateClient().DataAsync(random, new { n = 50 })).GetProperty("randomLiveStreams")).Select(Id);
        Assert.Empty(after.Intersect(streamers.Select(s => s.Id)));
    }

    [Fact]
    public async Task A_category_is_found_by_slug_with_its_live_counts_and_random_categories_are_distinct()
    {
        const string one = "query($s: String!) { category(slug: $s) { slug name nameUk liveChannelCount viewerCount } }";
        var before = (await fixture.CreateClient().DataAsync(one, new { s = "science-tech" })).GetProperty("category");
        Assert.Equal("Science & Technology", before.GetProperty("name").GetString());
        Assert.Equal("Наука і технології", before.GetProperty("nameUk").GetString());
        var channelsBefore = before.GetProperty("liveChannelCount").GetInt32();
        var viewersBefore = before.GetProperty("viewerCount").GetInt32();

        var a = await fixture.StreamerAsync("science-tech");
        var b = await fixture.StreamerAsync("science-tech");
        await a.GoLiveAsync();
        await b.GoLiveAsync();
        await a.AddViewersAsync(3);
        await b.AddViewersAsync(1);

        var during = await EventuallyAsync(
            async () => (await fixture.CreateClient().DataAsync(one, new { s = "  Science-Tech " })).GetProperty("category"),
            c => c.GetProperty("viewerCount").GetInt32() == viewersBefore + 4,
            "the category's viewer count");
        Assert.Equal("science-tech", during.GetProperty("slug").GetString());
        Assert.Equal(channelsBefore + 2, during.GetProperty("liveChannelCount").GetInt32());

        var listed = Nodes((await fixture.CreateClient().DataAsync("{ categories { slug liveChannelCount viewerCount } }")).GetProperty("categories"));
        var scienceTech = Assert.Single(listed, c => c.GetProperty("slug").GetString() == "science-tech");
        Assert.Equal(channelsBefore + 2, scienceTech.GetProperty("liveChannelCount").GetInt32());
        Assert.Equal(viewersBefore + 4, scienceTech.GetProperty("viewerCount").GetInt32());

        foreach (var missing in new[] { "no-such-category", "", new string('x', 200) })
        {
            Assert.Equal(JsonValueKind.Null, (await fixture.CreateClient().DataAsync(one, new { s = missing })).GetProperty("category").ValueKind);
        }

        await a.EndAsync();
        await b.EndAsync();
        Assert.Equal(channelsBefore, (await fixture.CreateClient().DataAsync(one, new { s = "science-tech" })).GetProperty("category").GetProperty("liveChannelCount").GetInt32());

        // Random categories: distinct, real, and not always the same.
        var slugs = listed.Select(c => c.GetProperty("slug").GetString()!).ToList();
        const string random = "query($n: Int) { randomCategories(first: $n) { slug liveChannelCount } }";
        var orders = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var sample = Nodes((await fixture.CreateClient().DataAsync(random, new { n = 4 })).GetProperty("randomCategories"))
                .Select(c => c.GetProperty("slug").GetString()!).ToList();
            Assert.Equal(4, sample.Distinct().Count());
            Assert.Subset(slugs.ToHashSet(), sample.ToHashSet());
            orders.Add(string.Join(',', sample));
        }

        Assert.True(orders.Count > 5, $"Only {orders.Count} different samples in 20.");
        var everything = Nodes((await fixture.CreateClient().DataAsync(random, new { n = 50 })).GetProperty("randomCategories"))
            .Select(c => c.GetProperty("slug").GetString()!).ToList();
        Assert.Equal(slugs.Order(), everything.Order());
        (await fixture.CreateClient().SendAsync(random, new { n = 0 })).AssertError("BAD_USER_INPUT");
    }

    private static async Task Follow(Streamer who, Streamer whom) =>
        await who.Client.DataAsync("mutation($c: ID!) { follow(channelId: $c) { id } }", new { c = whom.Id });

    private async Task<HashSet<string>> LiveIdsAsync() =>
        Nodes((await fixture.CreateClient().DataAsync("{ liveChannels(first: 50) { edges { node { id } } } }"))
            .GetProperty("liveChannels").GetProperty("edges")).Select(e => Id(e.GetProperty("node"))).ToHashSet();
}
