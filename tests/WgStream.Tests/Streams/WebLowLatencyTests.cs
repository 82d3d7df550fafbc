using System.Collections.Concurrent;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Streams;

/// <summary>
/// "Low latency" in the browser: the viewer picks it and the channel plays over WebRTC from Janus
/// (loopback candidates only, no STUN); when Janus cannot be reached, the player says so and plays
/// HLS instead.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebLowLatencyTests(WebFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions GoingLive = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_viewer_watches_over_webrtc_and_falls_back_to_hls_when_janus_is_unreachable()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_ll", "web_lv");
        var (streamer, a, b) = (people.Streamer, people.A, people.B);
        var console = new ConcurrentQueue<string>();
        people.ViewerContext.Console += (_, message) => console.Enqueue($"{message.Type}: {message.Text}");
        people.ViewerContext.WebError += (_, error) => console.Enqueue($"page error: {error.Error}");
        var requests = new ConcurrentQueue<string>();
        people.ViewerContext.Request += (_, request) => requests.Enqueue(request.Url);
        people.ViewerContext.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                console.Enqueue($"{response.Status} {response.Url}");
            }
        };

        await a.GotoAsync("/dashboard");
        await a.GetByTestId("reveal-key").ClickAsync();
        var key = await a.GetByTestId("stream-key").InputValueAsync();
        await using var ffmpeg = FfmpegPublisher.Start($"{fixture.Ingest.IngestUrl}/{key}");

        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("live-badge")).ToBeVisibleAsync(GoingLive);
        await PlayerWait.UntilAsync(b, "v.dataset.mode === 'hls' && v.readyState >= 2", console);

        // Low latency: the picture comes over WebRTC (a MediaStream, not a media source URL) and keeps moving.
        await b.GetByTestId("quality").SelectOptionAsync("webrtc");
        await PlayerWait.UntilAsync(b, "v.dataset.mode === 'webrtc' && v.srcObject instanceof MediaStream && v.readyState >= 2 && v.videoWidth === 640", console);
        var before = await b.GetByTestId("player").EvaluateAsync<double>("v => v.currentTime");
        await PlayerWait.UntilAsync(b, "v.currentTime > arg + 1", console, before);
        Assert.Contains(requests, url => url.StartsWith(fixture.Janus.Url, StringComparison.Ordinal));
        Assert.Equal("webrtc", await b.EvaluateAsync<string>("() => localStorage.getItem('wg.quality')"));
        // Nothing went to a STUN server or anywhere but this machine.
        Assert.DoesNotContain(requests, url => !url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal) && !url.StartsWith("ws://127.0.0.1:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal) && !url.StartsWith("data:", StringComparison.Ordinal));

        // Janus unreachable (as behind a firewall): the next visit says so and plays HLS.
        await b.RouteAsync($"{fixture.Janus.Url}**", route => route.AbortAsync());
        await b.ReloadAsync();
        await Expect(b.GetByTestId("low-latency-fallback")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await PlayerWait.UntilAsync(b, "v.dataset.mode === 'hls' && v.readyState >= 2 && v.currentTime > 0", console);
        await ffmpeg.StopAsync();
    }
}
