using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Streams;

/// <summary>
/// The quality ladder in the browser: a 480p encoder gives the viewer "Auto", "Source" and 360p;
/// picking 360p plays 360p, and the choice is remembered by the browser. The streamer's dashboard
/// lists what viewers get.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebQualityTests(WebFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions GoingLive = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_viewer_picks_360p_from_the_ladder_and_the_browser_remembers_it()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_q", "web_r");
        var (streamer, a, b) = (people.Streamer, people.A, people.B);
        var console = new ConcurrentQueue<string>();
        people.ViewerContext.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");

        await a.GotoAsync("/dashboard");
        await a.GetByTestId("reveal-key").ClickAsync();
        var key = await a.GetByTestId("stream-key").InputValueAsync();
        await Expect(a.GetByTestId("live-output")).ToContainTextAsync("Go live to see the renditions");
        await using var ffmpeg = FfmpegPublisher.Start($"{fixture.Ingest.IngestUrl}/{key}", "854x480");

        // The dashboard shows the ladder (it asks every 5 s).
        await Expect(a.GetByTestId("renditions")).ToHaveTextAsync("Renditions: Source, 360p", new() { Timeout = 30_000 });
        await Expect(a.GetByTestId("ladder-fell-back")).ToHaveCountAsync(0);

        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("live-badge")).ToBeVisibleAsync(GoingLive);
        var quality = b.GetByTestId("quality");
        await Expect(quality).ToBeVisibleAsync(GoingLive);
        // The menu is there at once (Auto, Low latency); the renditions join it when the master playlist is read.
        await Expect(quality.Locator("option")).ToHaveCountAsync(4, new() { Timeout = 30_000 });
        Assert.Equal(["auto", "webrtc", "source", "360p"], await quality.Locator("option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        await Expect(quality).ToHaveValueAsync("auto");

        await quality.SelectOptionAsync("360p");
        await PlayerWait.UntilAsync(b, "v.videoHeight === 360 && v.currentTime > 0", console);

        // A new visit starts with the viewer's choice.
        await b.ReloadAsync();
        await Expect(b.GetByTestId("quality")).ToHaveValueAsync("360p", new() { Timeout = 30_000 });
        await PlayerWait.UntilAsync(b, "v.videoHeight === 360 && v.currentTime > 0", console);
        Assert.Equal("360p", await b.EvaluateAsync<string>("() => localStorage.getItem('wg.quality')"));

        // Back to Auto (hls.js picks by bandwidth from here on), remembered too.
        await b.GetByTestId("quality").SelectOptionAsync("auto");
        Assert.Equal("auto", await b.EvaluateAsync<string>("() => localStorage.getItem('wg.quality')"));
        await b.ReloadAsync();
        await Expect(b.GetByTestId("quality")).ToHaveValueAsync("auto", new() { Timeout = 30_000 });
        await ffmpeg.StopAsync();
    }
}
