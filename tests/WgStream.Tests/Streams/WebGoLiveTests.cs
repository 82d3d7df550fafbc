using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Streams;

/// <summary>
/// Going live end to end in the browser: the streamer copies the ingest URL and key from the
/// dashboard into an encoder (ffmpeg publishing like OBS to the real nginx-rtmp), a viewer already on
/// the channel page sees it go live and the video play, they chat, the streamer times the viewer out,
/// and the page goes offline when the encoder stops.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebGoLiveTests(WebFixture fixture)
{
    /// <summary>Going live waits for ffmpeg and nginx and the first HLS segments: generous, on 2 shared cores.</summary>
    private static readonly LocatorAssertionsToBeVisibleOptions GoingLive = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_streamer_goes_live_from_an_encoder_and_a_viewer_watches_chats_and_is_timed_out()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_l", "web_w");
        var (streamer, viewer, a, b) = (people.Streamer, people.Viewer, people.A, people.B);
        var viewerRequests = new ConcurrentQueue<string>();
        people.ViewerContext.Request += (_, request) => viewerRequests.Enqueue(request.Url);
        var viewerConsole = new ConcurrentQueue<string>();
        people.ViewerContext.Console += (_, message) => viewerConsole.Enqueue($"{message.Type}: {message.Text}");

        // The viewer waits on the offline channel; its chat connection counts it as a viewer.
        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("offline")).ToBeVisibleAsync();
        await Expect(b.GetByTestId("live-badge")).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        // Its stream-status subscription is in place, so what follows must arrive without a reload.
        await Expect(b.GetByTestId("channel")).ToHaveAttributeAsync("data-subscribed", "true");
        await b.EvaluateAsync("() => { window.wgNotReloaded = true; }");

        // The streamer reads the server and the (hidden until revealed) key off the dashboard, as into OBS.
        await a.GotoAsync("/dashboard");
        var keyInput = a.GetByTestId("stream-key");
        await Expect(keyInput).ToHaveAttributeAsync("type", "password");
        await a.GetByTestId("reveal-key").ClickAsync();
        await Expect(keyInput).ToHaveAttributeAsync("type", "text");
        await Expect(keyInput).ToHaveValueAsync(LiveKey());
        var server = await a.GetByTestId("ingest-url").InputValueAsync();
        var key = await keyInput.InputValueAsync();
        Assert.Equal(fixture.Ingest.IngestUrl, server);

        await using var ffmpeg = FfmpegPublisher.Start($"{server}/{key}", "320x180");

        // The viewer's page goes live by itself, counts them, and the video plays.
        await Expect(b.GetByTestId("live-badge")).ToBeVisibleAsync(GoingLive);
        await Expect(b.GetByTestId("viewer-count")).ToHaveTextAsync(Viewers(1));
        await Expect(b.GetByTestId("player")).ToBeVisibleAsync();
        // Frames of the encoder's picture are decoded, then the clock runs on (polled: a busy machine may stall it briefly).
        await PlayerWait.UntilAsync(b, "v.readyState >= 2 && v.currentTime > 0 && v.videoWidth === 320", viewerConsole);
        var before = await b.GetByTestId("player").EvaluateAsync<double>("v => v.currentTime");
        await PlayerWait.UntilAsync(b, "v.currentTime > arg + 1 && v.readyState >= 2 && !v.paused", viewerConsole, before);
        Assert.False(ffmpeg.HasExited, ffmpeg.Errors);
        await AssertNotReloadedAsync(b);

        // The streamer opens their channel: a second viewer, which the viewer's page shows live too.
        await a.GotoAsync($"/{streamer}");
        await Expect(a.GetByTestId("live-badge")).ToBeVisibleAsync();
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("viewer-count")).ToHaveTextAsync(Viewers(2));

        // Chat between the two: the viewer writes, the streamer reads it and times the viewer out.
        await WebSettingsTests.SendAsync(b, "great stream!");
        var line = a.GetByTestId("chat-line").Filter(new() { HasText = "great stream!" });
        await Expect(line).ToHaveCountAsync(1);
        await line.GetByTestId("mod-timeout").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{viewer} is timed out" })).ToBeVisibleAsync();
        await Expect(line).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "great stream!" })).ToHaveCountAsync(0);

        await WebSettingsTests.SendAsync(b, "why?");
        await Expect(b.GetByTestId("chat-refusal")).ToContainTextAsync("You are timed out here until");
        await Expect(b.GetByTestId("chat-refusal")).ToContainTextAsync("try again at");
        await Expect(a.GetByTestId("chat-line").Filter(new() { HasText = "why?" })).ToHaveCountAsync(0);

        // The encoder stops: both pages go offline well within the heartbeat timeout (a clean stop
        // ends the broadcast at once; the timeout is the bound for an ingest that says nothing).
        await ffmpeg.StopAsync();
        var offline = new LocatorAssertionsToHaveCountOptions { Timeout = (float)(RtmpIngest.HeartbeatTimeout + TimeSpan.FromSeconds(10)).TotalMilliseconds };
        foreach (var page in new[] { a, b })
        {
            await Expect(page.GetByTestId("live-badge")).ToHaveCountAsync(0, offline);
            await Expect(page.GetByTestId("offline")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("player")).ToHaveCountAsync(0);
        }

        await AssertNotReloadedAsync(b);

        // The viewer played the stream by channel id: the key never reached their browser.
        Assert.Contains(viewerRequests, url => url.Contains("/hls/", StringComparison.Ordinal));
        Assert.DoesNotContain(viewerRequests, url => url.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(key, await b.ContentAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => window.wgNotReloaded === true"), "the viewer's page was reloaded");

    private static Regex Viewers(int count) => new($"^ · {count} viewers$");

    [GeneratedRegex("^live_[A-Za-z0-9_-]{43}$")]
    private static partial Regex LiveKey();
}
