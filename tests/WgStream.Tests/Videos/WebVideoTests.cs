using System.Collections.Concurrent;
using Microsoft.Playwright;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Videos;

/// <summary>
/// A past broadcast in Chromium: listed on the channel page, played from its VOD playlist on
/// /videos/{id} with the chat replayed in step (seeking included), and deleted by its owner.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebVideoTests(WebFixture fixture)
{
    [Fact]
    public async Task A_viewer_finds_a_past_broadcast_plays_it_with_its_chat_and_the_owner_deletes_it()
    {
        var broadcast = await VideoBroadcast.RecordAsync(fixture, fixture.Ingest);
        var chat = (await fixture.CreateClient().DataAsync("query($id: ID!) { video(id: $id) { chat { edges { offsetSeconds node { text } } } } }", new { id = broadcast.VideoId }))
            .GetProperty("video").GetProperty("chat").GetProperty("edges").EnumerateArray()
            .ToDictionary(e => e.GetProperty("node").GetProperty("text").GetString()!, e => e.GetProperty("offsetSeconds").GetDouble());

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        page.Response += (_, response) => { if (response.Status >= 400) console.Enqueue($"{response.Status} {response.Url}"); };

        // The channel page lists it with its picture and length, and leads to its page.
        await page.GotoAsync($"/{broadcast.Owner.Username}");
        var card = page.GetByTestId("video-card");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card.GetByTestId("video-thumbnail")).ToBeVisibleAsync();
        await Expect(card.GetByTestId("video-duration")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^0:\d\d$"));
        await card.Locator("a").ClickAsync();
        await Expect(page.GetByTestId("video-title")).ToHaveTextAsync("Speedrun night");
        Assert.EndsWith($"/videos/{broadcast.VideoId}", page.Url, StringComparison.Ordinal);
        await Expect(page.GetByTestId("delete-video")).ToHaveCountAsync(0); // not the owner

        // It plays (muted: autoplay rules), and the chat follows the picture.
        await page.GetByTestId("vod-player").EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await Until(page, "v.currentTime > arg", console, chat["first visible"] + 0.5);
        var replay = page.GetByTestId("chat-replay");
        try
        {
            await Expect(replay.GetByTestId("chat-line").Filter(new() { HasText = "first visible" })).ToHaveCountAsync(1);
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException($"{await replay.EvaluateAsync<string>("r => r.outerHTML")} {await page.GetByTestId("vod-player").EvaluateAsync<double>("v => v.currentTime")} {string.Join('\n', console)}", e);
        }

        // Seeking to the start empties it; seeking past the last message shows both, never what moderators removed.
        await page.GetByTestId("vod-player").EvaluateAsync("v => { v.pause(); v.currentTime = 0; }");
        await Expect(replay.GetByTestId("chat-line")).ToHaveCountAsync(0);
        await page.GetByTestId("vod-player").EvaluateAsync("(v, t) => { v.currentTime = t; }", chat["second visible"] + 1);
        await Expect(replay.GetByTestId("chat-line")).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("first visible$"), new System.Text.RegularExpressions.Regex("second visible$")]);
        await Expect(replay).Not.ToContainTextAsync("deleted by a moderator");
        await Expect(replay).Not.ToContainTextAsync("from a user banned later");
        await WebClientTests.ScreenshotAsync(page, "video.png");

        // The owner signs in and deletes it: the channel lists nothing, the page says it is gone.
        await page.GotoAsync("/login");
        var form = page.GetByTestId("login-form");
        await form.Locator("input[name=username]").FillAsync(broadcast.Owner.Username);
        await form.Locator("input[name=password]").FillAsync(broadcast.Owner.Password);
        await page.GetByTestId("auth-submit").ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(broadcast.Owner.Username);
        await page.GotoAsync($"/videos/{broadcast.VideoId}");
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.GetByTestId("delete-video").ClickAsync();
        await Expect(page.GetByTestId("channel-name")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("past-broadcasts")).ToContainTextAsync("No past broadcasts yet.");
        await page.GotoAsync($"/videos/{broadcast.VideoId}");
        await Expect(page.GetByTestId("video-missing")).ToBeVisibleAsync();
    }

    private static async Task Until(IPage page, string condition, IEnumerable<string> console, object arg)
    {
        try
        {
            await page.WaitForFunctionAsync(
                $"arg => {{ const v = document.querySelector('[data-testid=vod-player]'); return v !== null && ({condition}); }}",
                arg,
                new() { Timeout = 45_000, PollingInterval = 250 });
        }
        catch (TimeoutException e)
        {
            var state = await page.EvaluateAsync<string>(
                "() => { const v = document.querySelector('[data-testid=vod-player]'); return v === null ? 'no player' : JSON.stringify({ readyState: v.readyState, currentTime: v.currentTime, paused: v.paused, error: v.error?.message ?? null }); }");
            throw new TimeoutException($"The VOD player never got to {condition}: {state}\n{string.Join('\n', console)}", e);
        }
    }
}
