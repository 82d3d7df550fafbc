using System.Text.Json;
using WgStream.Tests.Infrastructure;
using static WgStream.Tests.Channels.DiscoveryFixture;

namespace WgStream.Tests.Channels;

/// <summary>
/// Tags, language and the mature flag over GraphQL: set with updateStream, shown on channels and
/// summaries, and used by liveChannels, searchChannels (which also finds live stream titles and
/// tags) and followedChannels; every bad input refused with its code and field. Channels go live
/// through the ingest callback; each test uses tags of its own, so other tests' channels never match.
/// </summary>
[Collection(DiscoveryCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class DiscoveryFilterTests(DiscoveryFixture fixture)
{
    private const string Update = "mutation($i: UpdateStreamInput!) { updateStream(input: $i) { title tags language mature } }";

    private const string Live = """
        query($tags: [String!], $language: String, $first: Int, $after: String) {
          liveChannels(tags: $tags, language: $language, first: $first, after: $after) {
            edges { node { id username tags language mature streamTitle } } pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private const string Search = """
        query($q: String!, $tags: [String!], $language: String, $first: Int, $after: String) {
          searchChannels(query: $q, tags: $tags, language: $language, first: $first, after: $after) {
            edges { node { id username isLive streamTitle tags language } } pageInfo { hasNextPage endCursor }
          }
        }
        """;

    private const string Followed = """
        query($first: Int, $after: String) {
          followedChannels(first: $first, after: $after) { edges { node { id username isLive viewerCount } } pageInfo { hasNextPage endCursor } }
        }
        """;

    [Fact]
    public async Task UpdateStream_sets_tags_language_and_mature_which_the_channel_and_its_settings_show()
    {
        var streamer = await fixture.StreamerAsync();
        var tag = NewTag("Retro");
        var updated = (await streamer.Client.DataAsync(Update, new { i = new { title = "Night run", tags = new[] { tag, tag.ToUpperInvariant(), "Chill" }, language = "de", mature = true } }))
            .GetProperty("updateStream");
        Assert.Equal([tag, "Chill"], Strings(updated.GetProperty("tags")));
        Assert.Equal("de", updated.GetProperty("language").GetString());
        Assert.True(updated.GetProperty("mature").GetBoolean());

        var settings = (await streamer.Client.DataAsync("{ streamSettings { title tags language mature } }")).GetProperty("streamSettings");
        Assert.Equal([tag, "Chill"], Strings(settings.GetProperty("tags")));

        var channel = (await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { tags language mature } }", new { u = streamer.Account.Username }))
            .GetProperty("channel");
        Assert.Equal([tag, "Chill"], Strings(channel.GetProperty("tags")));
        Assert.Equal("de", channel.GetProperty("language").GetString());
        Assert.True(channel.GetProperty("mature").GetBoolean());

        // Only the settings given change.
        var titleOnly = (await streamer.Client.DataAsync(Update, new { i = new { title = "Day run" } })).GetProperty("updateStream");
        Assert.Equal([tag, "Chill"], Strings(titleOnly.GetProperty("tags")));
        Assert.True(titleOnly.GetProperty("mature").GetBoolean());

        var languages = (await fixture.CreateClient().DataAsync("{ streamLanguages { code nativeName } }")).GetProperty("streamLanguages").EnumerateArray().ToList();
        Assert.Contains(languages, l => l.GetProperty("code").GetString() == "uk" && l.GetProperty("nativeName").GetString() == "Українська");
        Assert.Contains(languages, l => l.GetProperty("code").GetString() == "en");

        // Bad input: the code and the field, and nothing changed.
        await AssertRefusedAsync(streamer.Client.SendAsync(Update, new { i = new { tags = new[] { "two words" } } }), "tags");
        await AssertRefusedAsync(streamer.Client.SendAsync(Update, new { i = new { tags = new[] { "<script>" } } }), "tags");
        await AssertRefusedAsync(streamer.Client.SendAsync(Update, new { i = new { tags = Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray() } }), "tags");
        await AssertRefusedAsync(streamer.Client.SendAsync(Update, new { i = new { tags = new[] { new string('x', 26) } } }), "tags");
        await AssertRefusedAsync(streamer.Client.SendAsync(Update, new { i = new { language = "xx" } }), "language");
        await AssertRefusedAsync(streamer.Client.SendAsync(Update, new { i = new { title = "Would stick", language = "english" } }), "language");
        var after = (await streamer.Client.DataAsync("{ streamSettings { title tags language } }")).GetProperty("streamSettings");
        Assert.Equal("Day run", after.GetProperty("title").GetString());
        Assert.Equal("de", after.GetProperty("language").GetString());

        // Signed out there is no channel to set.
        (await fixture.CreateClient().SendAsync(Update, new { i = new { tags = new[] { "x" } } })).AssertError("UNAUTHENTICATED");
    }

    [Fact]
    public async Task Live_directory_filters_by_all_given_tags_and_by_language_and_pages_through_the_matches()
    {
        var speedrun = NewTag("speedrun");
        var retro = NewTag("retro");
        var english = await LiveStreamerAsync("Any% in English", [speedrun, retro], "en", viewers: 30);
        var ukrainian = await LiveStreamerAsync("Спідран українською", [speedrun.ToUpperInvariant()], "uk", viewers: 20);
        var chill = await LiveStreamerAsync("Chill", [retro], "uk", viewers: 10);
        var offline = await fixture.StreamerAsync();
        await offline.Client.DataAsync(Update, new { i = new { tags = new[] { speedrun }, language = "en" } });
        var all = new[] { english, ukrainian, chill };
        try
        {
            await WaitForViewersAsync(all, [30, 20, 10]);

            // Case is ignored; most watched first; offline channels are not live.
            Assert.Equal([english.Id, ukrainian.Id], Ids(await LiveAsync(new { tags = new[] { speedrun.ToLowerInvariant() } })));
            Assert.Equal([english.Id, ukrainian.Id], Ids(await LiveAsync(new { tags = new[] { speedrun.ToUpperInvariant() } })));
            // Every tag given must be there.
            Assert.Equal([english.Id], Ids(await LiveAsync(new { tags = new[] { speedrun, retro } })));
            Assert.Equal([english.Id, chill.Id], Ids(await LiveAsync(new { tags = new[] { retro } })));
            // Language alone, and with a tag.
            var inUkrainian = await LiveAsync(new { language = "uk", first = 50 });
            Assert.All(inUkrainian, n => Assert.Equal("uk", n.GetProperty("language").GetString()));
            Assert.Contains(ukrainian.Id, Ids(inUkrainian));
            Assert.Contains(chill.Id, Ids(inUkrainian));
            Assert.DoesNotContain(english.Id, Ids(inUkrainian));
            Assert.Equal([chill.Id], Ids(await LiveAsync(new { tags = new[] { retro }, language = "uk" })));
            Assert.Empty(await LiveAsync(new { tags = new[] { speedrun }, language = "de" }));
            Assert.Empty(await LiveAsync(new { tags = new[] { NewTag("nobody") } }));

            // The summary carries what the cards show.
            var card = (await LiveAsync(new { tags = new[] { speedrun, retro } })).Single();
            Assert.Equal([speedrun, retro], Strings(card.GetProperty("tags")));
            Assert.Equal("Any% in English", card.GetProperty("streamTitle").GetString());
            Assert.False(card.GetProperty("mature").GetBoolean());

            // Pages keep the filter: one at a time, each once, in order.
            var first = (await fixture.CreateClient().DataAsync(Live, new { tags = new[] { speedrun }, first = 1 })).GetProperty("liveChannels");
            Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
            var second = (await fixture.CreateClient().DataAsync(Live, new
            {
                tags = new[] { speedrun },
                first = 1,
                after = first.GetProperty("pageInfo").GetProperty("endCursor").GetString(),
            })).GetProperty("liveChannels");
            Assert.Equal(ukrainian.Id, Id(second.GetProperty("edges")[0].GetProperty("node")));
            Assert.False(second.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

            // Bad filters: their own codes and fields, never a 500.
            var anyone = fixture.CreateClient();
            await AssertRefusedAsync(anyone.SendAsync(Live, new { tags = Enumerable.Range(0, 6).Select(i => $"t{i}").ToArray() }), "tags");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { tags = new[] { "no spaces" } }), "tags");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { tags = new[] { "" } }), "tags");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { tags = new[] { new string('a', 10_000) } }), "tags");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { language = "xx" }), "language");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { language = "" }), "language");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { language = new string('e', 5000) }), "language");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { tags = new[] { speedrun }, first = 51 }), "first");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { tags = new[] { speedrun }, first = 0 }), "first");
            await AssertRefusedAsync(anyone.SendAsync(Live, new { tags = new[] { speedrun }, after = "not-a-cursor" }), "after");
        }
        finally
        {
            foreach (var streamer in all)
            {
                await streamer.EndAsync();
            }
        }
    }

    [Fact]
    public async Task Search_finds_live_stream_titles_and_tags_after_names_and_filters_them()
    {
        var word = NewTag("marathon").ToLowerInvariant();
        var tag = NewTag("cozy");
        var titled = await LiveStreamerAsync($"Chrono Trigger {word} part 2", [], "en", viewers: 1);
        var tagged = await LiveStreamerAsync("Just hanging out", [tag], "uk", viewers: 1);
        // Offline: its broadcast title is not the channel's now, but its tag is.
        var offlineTitled = await fixture.StreamerAsync();
        await offlineTitled.Client.DataAsync(Update, new { i = new { title = $"Later: {word}", tags = new[] { tag } } });
        try
        {
            var byTitle = await SearchAsync(new { q = word });
            Assert.Equal([titled.Id], Ids(byTitle));
            Assert.True(byTitle[0].GetProperty("isLive").GetBoolean());
            // A word like it (trigram word similarity), and part of the title, match too.
            Assert.Contains(titled.Id, Ids(await SearchAsync(new { q = $"chrono trigger {word}" })));
            Assert.Contains(titled.Id, Ids(await SearchAsync(new { q = word[..^1] })));

            // A tag (any case), live or not.
            var byTag = Ids(await SearchAsync(new { q = tag.ToUpperInvariant() }));
            Assert.Contains(tagged.Id, byTag);
            Assert.Contains(offlineTitled.Id, byTag);

            // Filters narrow every kind of match.
            Assert.Empty(await SearchAsync(new { q = word, language = "uk" }));
            Assert.Equal([titled.Id], Ids(await SearchAsync(new { q = word, language = "en" })));
            Assert.Equal([tagged.Id], Ids(await SearchAsync(new { q = tag, language = "uk" })));
            Assert.Empty(await SearchAsync(new { q = word, tags = new[] { tag } }));

            // A name match comes before a title match: the streamer's own username finds them first.
            var byName = await SearchAsync(new { q = titled.Account.Username });
            Assert.Equal(titled.Id, Id(byName[0]));

            // Names still match as before, and LIKE's wildcards are only text.
            Assert.DoesNotContain(titled.Id, Ids(await SearchAsync(new { q = "%%%" })));

            var anyone = fixture.CreateClient();
            await AssertRefusedAsync(anyone.SendAsync(Search, new { q = "" }), "query");
            await AssertRefusedAsync(anyone.SendAsync(Search, new { q = new string('q', 51) }), "query");
            await AssertRefusedAsync(anyone.SendAsync(Search, new { q = word, tags = new[] { "a-b" } }), "tags");
            await AssertRefusedAsync(anyone.SendAsync(Search, new { q = word, tags = Enumerable.Range(0, 6).Select(i => $"t{i}").ToArray() }), "tags");
            await AssertRefusedAsync(anyone.SendAsync(Search, new { q = word, language = "zz" }), "language");
            await AssertRefusedAsync(anyone.SendAsync(Search, new { q = word, first = 51 }), "first");
            await AssertRefusedAsync(anyone.SendAsync(Search, new { q = word, after = "garbage" }), "after");
        }
        finally
        {
            await titled.EndAsync();
            await tagged.EndAsync();
        }
    }

    [Fact]
    public async Task Followed_channels_list_live_ones_first_by_viewers_then_the_rest_by_name()
    {
        var viewer = await fixture.StreamerAsync();
        var busy = await LiveStreamerAsync("Busy", [], null, viewers: 9);
        var quiet = await LiveStreamerAsync("Quiet", [], null, viewers: 5);
        var offlineA = await fixture.StreamerAsync();
        var offlineB = await fixture.StreamerAsync();
        var notFollowed = await LiveStreamerAsync("Not followed", [], null, viewers: 50);
        var live = new[] { busy, quiet, notFollowed };
        try
        {
            foreach (var channel in new[] { offlineB, quiet, offlineA, busy })
            {
                await viewer.Client.DataAsync("mutation($c: ID!) { follow(channelId: $c) { followedByMe } }", new { c = channel.Id });
            }

            await WaitForViewersAsync(live, [9, 5, 50]);
            var offline = new[] { offlineA, offlineB }.OrderBy(s => s.Account.Username.ToLowerInvariant(), StringComparer.Ordinal).Select(s => s.Id);
            var expected = new[] { busy.Id, quiet.Id }.Concat(offline).ToList();

            var all = (await viewer.Client.DataAsync(Followed, new { first = 50 })).GetProperty("followedChannels");
            Assert.Equal(expected, Nodes(all.GetProperty("edges")).Select(e => Id(e.GetProperty("node"))));
            Assert.True(all.GetProperty("edges")[0].GetProperty("node").GetProperty("isLive").GetBoolean());
            Assert.Equal(9, all.GetProperty("edges")[0].GetProperty("node").GetProperty("viewerCount").GetInt32());

            // Two pages of two.
            var page1 = (await viewer.Client.DataAsync(Followed, new { first = 2 })).GetProperty("followedChannels");
            Assert.True(page1.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
            var page2 = (await viewer.Client.DataAsync(Followed, new { first = 2, after = page1.GetProperty("pageInfo").GetProperty("endCursor").GetString() }))
                .GetProperty("followedChannels");
            Assert.False(page2.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
            Assert.Equal(expected, Nodes(page1.GetProperty("edges")).Concat(Nodes(page2.GetProperty("edges"))).Select(e => Id(e.GetProperty("node"))));

            (await fixture.CreateClient().SendAsync(Followed, new { first = 5 })).AssertError("UNAUTHENTICATED");
            await AssertRefusedAsync(viewer.Client.SendAsync(Followed, new { first = 0 }), "first");
            await AssertRefusedAsync(viewer.Client.SendAsync(Followed, new { after = "bm9wZQ" }), "after");
        }
        finally
        {
            foreach (var streamer in live)
            {
                await streamer.EndAsync();
            }
        }
    }

    /// <summary>A tag nobody else has: the word and a random suffix (letters and digits only).</summary>
    private static string NewTag(string word) => word + Guid.NewGuid().ToString("N")[..8];

    private async Task<Streamer> LiveStreamerAsync(string title, string[] tags, string? language, int viewers)
    {
        var streamer = await fixture.StreamerAsync();
        await streamer.Client.DataAsync(Update, new { i = new { title, tags, language } });
        await streamer.GoLiveAsync();
        await streamer.AddViewersAsync(viewers);
        return streamer;
    }

    /// <summary>Viewer counts reach the directory row (which the lists sort by) on the next flush.</summary>
    private async Task WaitForViewersAsync(Streamer[] streamers, int[] viewers) =>
        await EventuallyAsync(
            async () => Nodes((await fixture.CreateClient().DataAsync("{ liveChannels(first: 50) { edges { node { id viewerCount } } } }"))
                .GetProperty("liveChannels").GetProperty("edges")).Select(e => e.GetProperty("node")).ToList(),
            listed => streamers.Zip(viewers).All(x => listed.Any(n => Id(n) == x.First.Id && n.GetProperty("viewerCount").GetInt32() == x.Second)),
            "viewer counts in the directory");

    private async Task<List<JsonElement>> LiveAsync(object variables) =>
        Nodes((await fixture.CreateClient().DataAsync(Live, variables)).GetProperty("liveChannels").GetProperty("edges")).Select(e => e.GetProperty("node")).ToList();

    private async Task<List<JsonElement>> SearchAsync(object variables) =>
        Nodes((await fixture.CreateClient().DataAsync(Search, variables)).GetProperty("searchChannels").GetProperty("edges")).Select(e => e.GetProperty("node")).ToList();

    private static List<string> Ids(IEnumerable<JsonElement> nodes) => nodes.Select(Id).ToList();

    private static List<string> Strings(JsonElement list) => list.EnumerateArray().Select(x => x.GetString()!).ToList();

    private static async Task AssertRefusedAsync(Task<GraphQLResponse> sent, string field)
    {
        var response = await sent;
        response.AssertError("BAD_USER_INPUT");
        Assert.Equal(field, response.FirstError.GetProperty("extensions").GetProperty("field").GetString());
    }
}
