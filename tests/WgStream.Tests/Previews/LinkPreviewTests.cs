using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using WgStream.Tests.Channels;
using static WgStream.Tests.Channels.DiscoveryFixture;

namespace WgStream.Tests.Previews;

/// <summary>
/// A shared /alice link, read the way a chat app reads it: a plain HTTP GET of the page, its HTML
/// parsed (AngleSharp, an HTML5 parser) and the Open Graph and Twitter card tags taken from it.
/// User text with quotes, ampersands and a script tag must come out as the same text, never as markup.
/// </summary>
[Collection(DiscoveryCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class LinkPreviewTests(DiscoveryFixture fixture)
{
    private const string HostileName = "He said \"hi\" <script>x</script>";
    private const string HostileTitle = "Best \"run\" <script>alert('x')</script> & more";
    private const string HostileBio = "Rock & roll, 'quotes' and \"doubles\" </head><body><img src=x onerror=alert(1)>";

    [Fact]
    public async Task A_channel_page_carries_its_name_bio_and_live_state_escaped_and_a_live_frame_as_its_image()
    {
        var streamer = await fixture.StreamerAsync();
        await streamer.Client.DataAsync(
            "mutation($i: UpdateChannelInput!) { updateChannel(input: $i) { id } }",
            new { i = new { displayName = HostileName, bio = HostileBio } });
        await streamer.Client.DataAsync(
            "mutation($i: UpdateStreamInput!) { updateStream(input: $i) { title } }",
            new { i = new { title = HostileTitle, category = "games" } });
        var username = streamer.Account.Username;
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };

        // The site's own page, for comparison: the same scripts, no preview.
        var (home, homeResponse) = await GetAsync(http, "/");
        Assert.Null(Meta(home, "og:title"));
        Assert.Equal("WG-Stream", home.Title);
        var scripts = home.Scripts.Length;

        // Offline: the name, "Offline", the followers and the bio.
        var (offline, response) = await GetAsync(http, "/" + username);
        Assert.Equal($"{HostileName} - WG-Stream", offline.Title);
        Assert.Equal(HostileName, Meta(offline, "og:title"));
        Assert.Equal(HostileName, Meta(offline, "twitter:title"));
        Assert.Equal("profile", Meta(offline, "og:type"));
        Assert.Equal("WG-Stream", Meta(offline, "og:site_name"));
        Assert.Equal($"{fixture.PublicBaseUrl}/{username}", Meta(offline, "og:url"));
        Assert.Equal($"{fixture.PublicBaseUrl}/{username}", offline.QuerySelector("link[rel=canonical]")?.GetAttribute("href"));
        var description = Meta(offline, "og:description")!;
        Assert.StartsWith("Offline · 0 followers. ", description, StringComparison.Ordinal);
        Assert.Contains(HostileBio, description, StringComparison.Ordinal);
        Assert.Equal(description, Meta(offline, "description"));
        Assert.Equal("summary", Meta(offline, "twitter:card"));
        Assert.Null(Meta(offline, "og:image"));

        // Nothing the user typed became markup: the same scripts and no image element, the head
        // still holds the tags, and the body is the client's root.
        Assert.Equal(scripts, offline.Scripts.Length);
        Assert.Empty(offline.Images);
        Assert.NotNull(offline.QuerySelector("head meta[property='og:title']"));
        Assert.NotNull(offline.QuerySelector("body > #root"));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>x", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", raw, StringComparison.Ordinal);

        // The security headers and policy are the same as for any page.
        Assert.Equal(homeResponse.Headers.GetValues("Content-Security-Policy"), response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);

        // Live: the title with the category and viewers, then the stream's frame once one is captured.
        await streamer.GoLiveAsync();
        try
        {
            var live = await EventuallyAsync(
                async () => (await GetAsync(http, "/" + username)).Page,
                page => Meta(page, "og:image") is not null,
                "the live frame in the preview");
            Assert.Equal($"{HostileName} is live: {HostileTitle}", Meta(live, "og:title"));
            Assert.Equal($"{HostileName} is live: {HostileTitle} - WG-Stream", live.Title);
            Assert.Equal($"{HostileTitle} · Games · 0 viewers", Meta(live, "og:description"));
            Assert.Equal("video.other", Meta(live, "og:type"));
            Assert.Equal("summary_large_image", Meta(live, "twitter:card"));
            Assert.Equal(scripts, live.Scripts.Length);
            var image = Meta(live, "og:image")!;
            Assert.StartsWith(fixture.PublicBaseUrl + "/media/", image, StringComparison.Ordinal);
            Assert.Equal(image, Meta(live, "twitter:image"));
            Assert.Equal("640", Meta(live, "og:image:width"));
            Assert.Equal("360", Meta(live, "og:image:height"));
            using var picture = await http.GetAsync(image);
            Assert.Equal(HttpStatusCode.OK, picture.StatusCode);
            Assert.Equal("image/webp", picture.Content.Headers.ContentType?.MediaType);

            // A channel marked mature keeps its frames out of chat apps, and says so.
            await streamer.Client.DataAsync("mutation { updateStream(input: {mature: true}) { mature } }");
            var mature = (await GetAsync(http, "/" + username)).Page;
            Assert.Null(Meta(mature, "og:image"));
            Assert.Equal("summary", Meta(mature, "twitter:card"));
            Assert.Contains("Mature content", Meta(mature, "og:description"), StringComparison.Ordinal);
        }
        finally
        {
            await streamer.EndAsync();
        }
    }

    [Fact]
    public async Task Pages_without_a_preview_are_the_client_as_built_and_head_answers_the_same_length()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var (home, _) = await GetAsync(http, "/");
        foreach (var path in new[] { "/nobody_here_at_all", "/dashboard", "/settings/profile", "/videos/not-a-video", $"/videos/{Guid.NewGuid()}", "/a", "/%3Cscript%3E" })
        {
            var (page, response) = await GetAsync(http, path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("WG-Stream", page.Title);
            Assert.Null(Meta(page, "og:title"));
            Assert.Equal(home.Scripts.Length, page.Scripts.Length);
        }

        var streamer = await fixture.StreamerAsync();
        using var get = await http.GetAsync("/" + streamer.Account.Username);
        var body = await get.Content.ReadAsByteArrayAsync();
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/" + streamer.Account.Username));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        // The username's case does not matter; the canonical address is the channel's own.
        var (upper, _) = await GetAsync(http, "/" + streamer.Account.Username.ToUpperInvariant());
        Assert.Equal($"{fixture.PublicBaseUrl}/{streamer.Account.Username}", Meta(upper, "og:url"));

        // API paths keep their 404s; other methods are not pages.
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/media/nothing-here")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await http.PostAsync("/" + streamer.Account.Username, new StringContent(""))).StatusCode);
    }

    private static async Task<(IHtmlDocument Page, HttpResponseMessage Response)> GetAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return (await new HtmlParser().ParseDocumentAsync(html), response);
    }

    /// <summary>A meta tag's content by its property (Open Graph) or name (Twitter, description); null when absent.</summary>
    private static string? Meta(IHtmlDocument page, string key) =>
        page.Head?.QuerySelectorAll("meta").FirstOrDefault(m => m.GetAttribute("property") == key || m.GetAttribute("name") == key)?.GetAttribute("content");
}
