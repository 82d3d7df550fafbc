using System.Diagnostics;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The default quality ladder with the real programs: ffmpeg publishes 480p like OBS, the Api's HLS
/// worker encodes the rungs below it, and every rendition is cut at the same instants.
/// </summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class QualityLadderTests(StreamsFixture fixture)
{
    [Fact]
    public async Task A_480p_source_gets_itself_and_360p_keyframe_aligned_in_a_master_playlist()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var key = await fixture.StreamKeyAsync(owner);
        await using var ffmpeg = FfmpegPublisher.Start($"{fixture.IngestUrl}/{key}", "854x480");
        var started = Stopwatch.StartNew();
        var master = new Uri($"http://127.0.0.1:{fixture.HlsPort}/hls/{account.Id:N}/index.m3u8");
        using var http = new HttpClient();

        // 480p is not below a 480p source, so the default ladder gives the source and 360p.
        var variants = await HlsPlaylist.WaitForVariantsAsync(http, master, v => v.Count >= 2, "2 variants");
        Assert.Equal(["source/live.m3u8", "360p/live.m3u8"], variants.Select(v => v.Uri));
        Assert.Equal(["854x480", "640x360"], variants.Select(v => v.Resolution));
        Assert.InRange(variants[1].Bandwidth, 800_000, 1_100_000); // 800 kbit/s video (10 % peak) and 64 kbit/s audio

        // Aligned: the segments with the same number start at the same media time in both renditions
        // (the rungs are keyframed where the source is), so a player switching between them does not jump.
        // The playlists are a sliding window: on a loaded machine a segment listed a moment ago may
        // have left it (404) before it is fetched, so such a round is read again from fresh playlists.
        string low;
        for (var round = 1; ; round++)
        {
            var source = await HlsPlaylist.WaitForSegmentsAsync(http, new Uri(master, "source/live.m3u8"), 4);
            low = await HlsPlaylist.WaitForSegmentsAsync(http, new Uri(master, "360p/live.m3u8"), 4);
            var both = HlsPlaylist.Segments(source).Intersect(HlsPlaylist.Segments(low)).ToList();
            Assert.True(both.Count >= 2, $"source {string.Join(", ", HlsPlaylist.Segments(source))}; 360p {string.Join(", ", HlsPlaylist.Segments(low))}");
            try
            {
                foreach (var name in both.TakeLast(2))
                {
                    var sourceStart = await StartTimeAsync(await http.GetByteArrayAsync(new Uri(master, $"source/{name}")));
                    var lowStart = await StartTimeAsync(await http.GetByteArrayAsync(new Uri(master, $"360p/{name}")));
                    Assert.True(Math.Abs(sourceStart - lowStart) <= 0.05, $"{name}: source video starts at {sourceStart:F3} s, 360p at {lowStart:F3} s");
                }

                break;
            }
            catch (HttpRequestException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound && round < 3)
            {
            }
        }

        // 1 s each, once past the first (which runs from the rendition's first frame to the second keyframe).
        Assert.All(HlsPlaylist.SegmentDurations(low).TakeLast(3), d => Assert.InRange(d, 0.9, 1.1));

        // The 360p segments really are 640x360 H.264 with AAC.
        var segment = await http.GetByteArrayAsync(new Uri(new Uri(master, "360p/live.m3u8"), HlsPlaylist.Segments(low)[^1]));
        var probed = await ProbeAsync(segment);
        Assert.Contains("\"codec_name\": \"h264\"", probed, StringComparison.Ordinal);
        Assert.Contains("\"height\": 360", probed, StringComparison.Ordinal);
        Assert.Contains("\"codec_name\": \"aac\"", probed, StringComparison.Ordinal);

        // Past the warm-up and Streams:TranscodeSlowFor with the shipped defaults, a machine that keeps up keeps its ladder.
        var sinceLive = started.Elapsed;
        if (sinceLive < TimeSpan.FromSeconds(17))
        {
            await Task.Delay(TimeSpan.FromSeconds(17) - sinceLive);
        }

        var transcode = (await owner.DataAsync($"{{ channel(username: \"{account.Username}\") {{ liveStream {{ transcode {{ renditions fellBack }} }} }} }}"))
            .GetProperty("channel").GetProperty("liveStream").GetProperty("transcode");
        Assert.Equal(["source", "360p"], transcode.GetProperty("renditions").EnumerateArray().Select(r => r.GetString()));
        Assert.False(transcode.GetProperty("fellBack").GetBoolean());

        await ffmpeg.StopAsync();
        await HlsWorkers.WaitGoneAsync(account.Id, Path.Combine(fixture.Nginx.HlsDirectory, account.Id.ToString("N")), TimeSpan.FromSeconds(15));
    }

    private static async Task<double> StartTimeAsync(byte[] segment)
    {
        // The video's: audio packets straddle segment boundaries, and the 360p audio is encoded anew.
        using var json = JsonDocument.Parse(await ProbeAsync(segment, "stream=codec_type,start_time"));
        var video = json.RootElement.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == "video");
        return double.Parse(video.GetProperty("start_time").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<string> ProbeAsync(byte[] segment, string entries = "stream=codec_name,width,height")
    {
        var file = Path.Combine(Path.GetTempPath(), $"wg-segment-{Guid.NewGuid():N}.ts");
        await File.WriteAllBytesAsync(file, segment);
        try
        {
            var start = new ProcessStartInfo("ffprobe") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-v", "error", "-show_entries", entries, "-of", "json", file })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>An Api whose ladder must run 50× faster than real time: no machine can, so it falls back.</summary>
public sealed class SlowLadderFixture : StreamsFixture
{
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["WG_Streams__TranscodeMinSpeed"] = "50",
        ["WG_Streams__TranscodeSlowFor"] = "00:00:02",
    };
}

/// <summary>The fallback, measured the way production measures it (ffmpeg's progress against the clock), with a bar no machine clears.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class QualityLadderFallbackTests(SlowLadderFixture fixture) : IClassFixture<SlowLadderFixture>
{
    [Fact]
    public async Task A_ladder_slower_than_required_falls_back_to_passthrough_and_says_so()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var key = await fixture.StreamKeyAsync(owner);
        await using var ffmpeg = FfmpegPublisher.Start($"{fixture.IngestUrl}/{key}", "854x480");
        var master = new Uri($"http://127.0.0.1:{fixture.HlsPort}/hls/{account.Id:N}/index.m3u8");
        using var http = new HttpClient();
        await HlsPlaylist.WaitForVariantsAsync(http, master, v => v.Count >= 2, "2 variants");

        // Warm-up (5 s of media) plus TranscodeSlowFor (2 s), then a restart in passthrough.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonElement transcode;
        while (true)
        {
            transcode = (await owner.DataAsync($"{{ channel(username: \"{account.Username}\") {{ liveStream {{ transcode {{ renditions fellBack reason }} }} }} }}"))
                .GetProperty("channel").GetProperty("liveStream").GetProperty("transcode");
            if (transcode.ValueKind == JsonValueKind.Object && transcode.GetProperty("fellBack").GetBoolean())
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no fallback: {transcode}");
            await Task.Delay(500);
        }

        Assert.Equal(["source"], transcode.GetProperty("renditions").EnumerateArray().Select(r => r.GetString()));
        Assert.Contains("real time", transcode.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("falling back to passthrough", fixture.Api.Output, StringComparison.Ordinal);
        // Players get the source alone from the new master playlist, and it keeps going.
        var variants = await HlsPlaylist.WaitForVariantsAsync(http, master, v => v.Count == 1, "the source alone", TimeSpan.FromSeconds(40));

        Assert.Equal("source/live.m3u8", variants[0].Uri);
        await HlsPlaylist.WaitForSegmentsAsync(http, new Uri(master, "source/live.m3u8"), 3);
        await ffmpeg.StopAsync();
    }
}
