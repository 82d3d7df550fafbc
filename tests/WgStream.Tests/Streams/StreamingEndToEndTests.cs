using System.Diagnostics;
using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The whole path with the real programs: ffmpeg publishes to nginx-rtmp, nginx asks the Api, the
/// channel goes live, the subscription hears it, HLS is served under the channel id.
/// </summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class StreamingEndToEndTests(StreamsFixture fixture)
{
    private const string Status = "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind endReason streamId stream { playbackUrl } } }";

    [Fact]
    public async Task Publishing_with_the_key_goes_live_serves_hls_under_the_channel_id_and_stopping_goes_offline()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var key = await fixture.StreamKeyAsync(owner);
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri, Status, new { c = account.Id });

        await using var ffmpeg = FfmpegPublisher.Start($"{fixture.IngestUrl}/{key}");
        var live = (await status.NextAsync(d => Kind(d) == "LIVE", TimeSpan.FromSeconds(20))).GetProperty("streamStatusChanged");
        var playback = live.GetProperty("stream").GetProperty("playbackUrl").GetString()!;
        Assert.Equal($"http://127.0.0.1:{fixture.HlsPort}/hls/{account.Id:N}/index.m3u8", playback);
        var channel = (await fixture.CreateClient().DataAsync($"{{ channel(username: \"{account.Username}\") {{ isLive liveStream {{ id isLive }} }} }}")).GetProperty("channel");
        Assert.True(channel.GetProperty("isLive").GetBoolean());

        // The master playlist is there under the channel id, for players on any origin. A 360p source
        // gets no rung of the default ladder below it: the source alone, passed through.
        using var http = new HttpClient();
        await HlsPlaylist.WaitAsync(http, new Uri(playback), text => text.Contains("#EXT-X-STREAM-INF", StringComparison.Ordinal), "master playlist", TimeSpan.FromSeconds(20));
        using var master = await http.GetAsync(playback);
        Assert.Equal("application/vnd.apple.mpegurl", master.Content.Headers.ContentType?.MediaType);
        Assert.Equal("*", master.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var variants = HlsPlaylist.Variants(await master.Content.ReadAsStringAsync());
        Assert.Equal(["source/live.m3u8"], variants.Select(v => v.Uri));
        Assert.Equal("640x360", variants[0].Resolution);

        // The rendition: 1 s MPEG-TS segments (the encoder keyframes every second), stamped with wall-clock time.
        var renditionUrl = new Uri(new Uri(playback), variants[0].Uri);
        var rendition = await HlsPlaylist.WaitForSegmentsAsync(http, renditionUrl, 3);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:", rendition, StringComparison.Ordinal);
        Assert.Equal(1, HlsPlaylist.TargetDuration(rendition));
        Assert.All(HlsPlaylist.SegmentDurations(rendition).TakeLast(2), d => Assert.InRange(d, 0.9, 1.1));
        var segment = HlsPlaylist.Segments(rendition)[^1];
        using var ts = await http.GetAsync(new Uri(renditionUrl, segment));
        Assert.Equal(HttpStatusCode.OK, ts.StatusCode);
        Assert.Equal("video/mp2t", ts.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0x47, (await ts.Content.ReadAsByteArrayAsync())[0]); // MPEG-TS sync byte

        // The dashboard sees what the worker makes.
        var transcode = (await owner.DataAsync($"{{ channel(username: \"{account.Username}\") {{ liveStream {{ transcode {{ renditions fellBack reason }} }} }} }}"))
            .GetProperty("channel").GetProperty("liveStream").GetProperty("transcode");
        Assert.Equal(["source"], transcode.GetProperty("renditions").EnumerateArray().Select(r => r.GetString()));
        Assert.False(transcode.GetProperty("fellBack").GetBoolean());

        // The key is nowhere in the HLS output: not in file names, not in playlists.
        var channelDirectory = Path.Combine(fixture.Nginx.HlsDirectory, account.Id.ToString("N"));
        foreach (var file in Directory.EnumerateFiles(fixture.Nginx.HlsDirectory, "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(key, file, StringComparison.Ordinal);
            if (file.EndsWith(".m3u8", StringComparison.Ordinal))
            {
                Assert.DoesNotContain(key, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
            }
        }

        // A thumbnail is grabbed from the HLS output soon after going live and stored as a 640×360 WebP.
        var thumbnail = await WaitForThumbnailAsync(live.GetProperty("streamId").GetString()!);
        using (var api = new HttpClient { BaseAddress = fixture.Api.BaseAddress })
        {
            using var codec = SkiaSharp.SKCodec.Create(new MemoryStream(await api.GetByteArrayAsync(thumbnail)));
            Assert.Equal(SkiaSharp.SKEncodedImageFormat.Webp, codec.EncodedFormat);
            Assert.Equal((640, 360), (codec.Info.Width, codec.Info.Height));
        }

        // The directory lists the channel with that frame (what the home page's cards show).
        var listed = (await fixture.CreateClient().DataAsync("{ liveChannels(first: 50) { edges { node { id thumbnailUrl } } } }"))
            .GetProperty("liveChannels").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node"))
            .Single(n => n.GetProperty("id").GetString() == account.Id.ToString());
        Assert.Equal(thumbnail, listed.GetProperty("thumbnailUrl").GetString());

        await ffmpeg.StopAsync();
        var offline = (await status.NextAsync(d => Kind(d) == "OFFLINE", TimeSpan.FromSeconds(15))).GetProperty("streamStatusChanged");
        Assert.Equal("PUBLISHER_STOPPED", offline.GetProperty("endReason").GetString());
        // The worker's ffmpeg is gone and the broadcast's files with it.
        await HlsWorkers.WaitGoneAsync(account.Id, channelDirectory, TimeSpan.FromSeconds(10));
        var after = (await fixture.CreateClient().DataAsync($"{{ channel(username: \"{account.Username}\") {{ isLive viewerCount liveStream {{ id }} }} }}")).GetProperty("channel");
        Assert.False(after.GetProperty("isLive").GetBoolean());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("liveStream").ValueKind);

        Assert.DoesNotContain(key, fixture.Api.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(key, fixture.Nginx.ErrorLog + fixture.Nginx.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_or_rotated_key_is_refused_and_the_channel_stays_offline()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var old = await fixture.StreamKeyAsync(owner);
        await owner.DataAsync("mutation { rotateStreamKey { streamKey } }");

        foreach (var wrong in new[] { "live_" + new string('A', 43), old, account.Id.ToString("N") })
        {
            await using var ffmpeg = FfmpegPublisher.Start($"{fixture.IngestUrl}/{wrong}");
            var exit = await ffmpeg.WaitForExitAsync(TimeSpan.FromSeconds(15));
            Assert.NotEqual(0, exit);
        }

        Assert.False((await fixture.CreateClient().DataAsync($"{{ channel(username: \"{account.Username}\") {{ isLive }} }}"))
            .GetProperty("channel").GetProperty("isLive").GetBoolean());
        Assert.False(Directory.Exists(Path.Combine(fixture.Nginx.HlsDirectory, account.Id.ToString("N"))));
    }

    [Fact]
    public async Task A_dead_ingest_ends_the_broadcast_after_the_heartbeat_timeout()
    {
        // An ingest of its own, so killing it leaves the shared one alone.
        await using var nginx = await NginxRtmp.StartAsync(fixture.Api.Port, fixture.IngestSecret);
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var key = await fixture.StreamKeyAsync(owner);
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri, Status, new { c = account.Id });
        await using var ffmpeg = FfmpegPublisher.Start($"{nginx.IngestUrl}/{key}");
        await status.NextAsync(d => Kind(d) == "LIVE", TimeSpan.FromSeconds(20));

        // Heartbeats arrive every second, so the broadcast outlives the timeout while nginx is up.
        await Task.Delay(RtmpIngest.HeartbeatTimeout + TimeSpan.FromSeconds(1));
        Assert.True(await IsLiveAsync(account.Username));

        // SIGKILL: no on_publish_done will ever come, and the heartbeats stop.
        await nginx.KillAsync();
        var killed = Stopwatch.StartNew();
        var offline = (await status.NextAsync(d => Kind(d) == "OFFLINE", RtmpIngest.HeartbeatTimeout + TimeSpan.FromSeconds(10))).GetProperty("streamStatusChanged");
        Assert.Equal("HEARTBEAT_TIMEOUT", offline.GetProperty("endReason").GetString());
        Assert.True(killed.Elapsed >= RtmpIngest.HeartbeatTimeout - TimeSpan.FromSeconds(1.5), $"Ended after {killed.Elapsed}, before the timeout.");
        Assert.False(await IsLiveAsync(account.Username));
    }

    private async Task<bool> IsLiveAsync(string username) =>
        (await fixture.CreateClient().DataAsync($"{{ channel(username: \"{username}\") {{ isLive }} }}")).GetProperty("channel").GetProperty("isLive").GetBoolean();

    private static string? Kind(JsonElement data) => data.GetProperty("streamStatusChanged").GetProperty("kind").GetString();

    private async Task<string> WaitForThumbnailAsync(string streamId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(25);
        while (true)
        {
            var url = (await fixture.CreateClient().DataAsync("query($id: ID!) { stream(id: $id) { thumbnailUrl } }", new { id = streamId }))
                .GetProperty("stream").GetProperty("thumbnailUrl").GetString();
            if (url is not null)
            {
                return url;
            }

            Assert.True(DateTime.UtcNow < deadline, "No thumbnail was taken.");
            await Task.Delay(250);
        }
    }
}
