using System.Collections.Concurrent;
using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Playwright;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Clips;

/// <summary>
/// Clips in Chromium (Debian's, whose MP4 support is checked here by playing one): a signed-in
/// viewer clips a live stream from the channel page, opens the clip, it plays, the channel lists it,
/// a shared link to it carries its preview tags, and its creator deletes it.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebClipTests(WebFixture fixture)
{
    [Fact]
    public async Task A_viewer_clips_a_live_stream_plays_the_clip_finds_it_on_the_channel_and_deletes_it()
    {
        await using var live = await LiveClip.StartAsync(fixture, fixture.Ingest, TimeSpan.FromSeconds(10));
        await using var context = await fixture.NewContextAsync();
        var viewer = $"clipper{Guid.NewGuid():N}"[..16];
        var page = await WebClientTests.SignUpAsync(context, viewer);
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.Response += (_, response) => { if (response.Status >= 400) console.Enqueue($"{response.Status} {response.Url}"); };

        // The channel page, live: Clip, a title, the last 30 s (as much as is recorded so far).
        await page.GotoAsync($"/{live.Owner.Username}");
        await Expect(page.GetByTestId("live-badge")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => (document.querySelector('[data-testid=player]')?.currentTime ?? 0) > 0.5", null, new() { Timeout = 30_000, PollingInterval = 250 });
        await WebClientTests.ScreenshotAsync(page, "channel-live.png");
        await page.GetByTestId("clip-button").ClickAsync();
        var form = page.GetByTestId("clip-form");
        await Expect(form.GetByTestId("clip-length-30")).ToBeCheckedAsync();
        await form.GetByTestId("clip-title").FillAsync("Big \"moment\" & more");
        await form.GetByTestId("clip-submit").ClickAsync();
        await Expect(form.GetByTestId("clip-made")).ToContainTextAsync("Your clip is ready.", new() { Timeout = 30_000 });

        // Its page plays the MP4 in a plain video element: time advances.
        await form.GetByTestId("clip-open").ClickAsync();
        await Expect(page.GetByTestId("clip-title")).ToHaveTextAsync("Big \"moment\" & more");
        await Expect(page.GetByTestId("clip-channel")).ToContainTextAsync(live.Owner.Username);
        var clipId = new Uri(page.Url).AbsolutePath["/clips/".Length..];
        var player = page.GetByTestId("clip-player");
        await player.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        try
        {
            await page.WaitForFunctionAsync(
                "() => { const v = document.querySelector('[data-testid=clip-player]'); return v !== null && v.currentTime > 1.5 && v.videoWidth === 640; }",
                null,
                new() { Timeout = 30_000, PollingInterval = 250 });
        }
        catch (TimeoutException e)
        {
            var state = await player.EvaluateAsync<string>("v => JSON.stringify({ readyState: v.readyState, currentTime: v.currentTime, paused: v.paused, error: v.error?.message ?? null, src: v.currentSrc })");
            throw new TimeoutException($"The clip never played: {state}\n{string.Join('\n', console)}", e);
        }

        // The view is counted (once, when it played), and the channel page lists the clip.
        await Expect(page.GetByTestId("delete-clip")).ToBeVisibleAsync();
        await page.GetByTestId("clip-channel").ClickAsync();
        var card = page.GetByTestId("channel-clips").GetByTestId("clip-card");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card.GetByTestId("clip-card-title")).ToHaveTextAsync("Big \"moment\" & more");
        await Expect(card).ToHaveAttributeAsync("data-clip-id", clipId);
        await Expect(card.GetByTestId("clip-thumbnail")).ToBeVisibleAsync();
        await Expect(card).ToContainTextAsync("1 view");

        // A shared link, read like a chat app reads it: the title (escaped), the channel, the thumbnail and the MP4.
        await AssertPreviewAsync(clipId, live.Owner.Username);

        // Its creator deletes it: gone from the channel, and its page says so.
        await card.Locator("a").ClickAsync();
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.GetByTestId("delete-clip").ClickAsync();
        await Expect(page.GetByTestId("channel-clips")).ToContainTextAsync("No clips yet.");
        await page.GotoAsync($"/clips/{clipId}");
        await Expect(page.GetByTestId("clip-missing")).ToBeVisibleAsync();
        await live.EndAsync();
    }

    private async Task AssertPreviewAsync(string clipId, string channel)
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        using var response = await http.GetAsync($"/clips/{clipId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await new HtmlParser().ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        var baseUrl = fixture.Api.BaseAddress.ToString().TrimEnd('/');
        Assert.Equal("Big \"moment\" & more - WG-Stream", page.Title);
        Assert.Equal("Big \"moment\" & more", Meta(page, "og:title"));
        Assert.Equal("video.other", Meta(page, "og:type"));
        Assert.Equal($"{baseUrl}/clips/{clipId}", Meta(page, "og:url"));
        Assert.StartsWith($"Clip of {channel} · 0:", Meta(page, "og:description"), StringComparison.Ordinal);
        Assert.Equal("summary_large_image", Meta(page, "twitter:card"));
        Assert.Equal($"{baseUrl}/media/clips/{Guid.Parse(clipId):N}/thumbnail.webp", Meta(page, "og:image"));
        Assert.Equal($"{baseUrl}/media/clips/{Guid.Parse(clipId):N}/clip.mp4", Meta(page, "og:video"));
        Assert.Equal("video/mp4", Meta(page, "og:video:type"));
        Assert.NotNull(page.QuerySelector("body > #root"));

        // The preview's files are what it says they are.
        using var video = await http.GetAsync(Meta(page, "og:video"));
        Assert.Equal("video/mp4", video.Content.Headers.ContentType?.MediaType);
        using var image = await http.GetAsync(Meta(page, "og:image"));
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);

        // An unknown clip is the site's own page, without a preview.
        using var unknown = await http.GetAsync($"/clips/{Guid.NewGuid()}");
        Assert.Null(Meta(await new HtmlParser().ParseDocumentAsync(await unknown.Content.ReadAsStringAsync()), "og:title"));
    }

    private static string? Meta(IHtmlDocument page, string key) =>
        page.Head?.QuerySelectorAll("meta").FirstOrDefault(m => m.GetAttribute("property") == key || m.GetAttribute("name") == key)?.GetAttribute("content");
}
