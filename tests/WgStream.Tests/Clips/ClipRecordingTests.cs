using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;
using WgStream.Tests.Videos;

namespace WgStream.Tests.Clips;

/// <summary>
/// Clips with the real programs: ffmpeg publishes to nginx-rtmp like OBS, the Api records the
/// broadcast into 4 s segments in the media store, and a viewer's clip is cut from them; the MP4 is
/// fetched as a browser would and read back with ffprobe.
/// </summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ClipRecordingTests(StreamsFixture fixture)
{
    private const int Asked = 10;

    /// <summary>Videos:SegmentDuration: a live clip ends where the last finished segment does.</summary>
    private const double Segment = 4;

    [Fact]
    public async Task A_viewer_clips_the_last_seconds_of_a_live_stream_into_an_h264_aac_mp4_and_deleting_it_removes_its_files()
    {
        await using var live = await LiveClip.StartAsync(fixture, fixture.Ingest, TimeSpan.FromSeconds(14));
        var viewer = fixture.CreateClient();
        var viewerAccount = await viewer.RegisterAsync();

        var clip = await LiveClip.ClipLiveAsync(viewer, live.Owner.Id, Asked, "That jump");
        // READY in the answer means the cut finished within Clips:AnswerWithin (5 s, shipped); a slower
        // one answers PROCESSING, so no wall-clock check is added here (it failed on a loaded machine).
        Assert.Equal("READY", clip.GetProperty("status").GetString());
        Assert.True(clip.GetProperty("fromLive").GetBoolean());
        Assert.Equal("That jump", clip.GetProperty("title").GetString());
        Assert.Equal(live.StreamId, clip.GetProperty("videoId").GetString());
        Assert.Equal(live.Owner.Username, clip.GetProperty("channel").GetProperty("username").GetString());
        Assert.Equal(viewerAccount.Username, clip.GetProperty("creator").GetProperty("username").GetString());
        var duration = clip.GetProperty("durationSeconds").GetDouble();
        Assert.InRange(duration, Asked - Segment, Asked + 0.3);

        // The MP4 as a browser fetches it: served as video/mp4, in ranges (seeking), and what ffprobe reads is H.264 and AAC of that length.
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var url = clip.GetProperty("videoUrl").GetString()!;
        using (var range = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { Range = new RangeHeaderValue(0, 99) } })
        using (var partial = await http.SendAsync(range))
        {
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(100, (await partial.Content.ReadAsByteArrayAsync()).Length);
        }

        using var served = await http.GetAsync(url);
        Assert.Equal("video/mp4", served.Content.Headers.ContentType?.MediaType);
        var mp4 = await served.Content.ReadAsByteArrayAsync();
        Assert.True(ClipMedia.IsFastStart(mp4), "The MP4's index should come first (+faststart).");
        var file = Path.Combine(Path.GetTempPath(), $"wg-clip-{Guid.NewGuid():N}.mp4");
        try
        {
            await File.WriteAllBytesAsync(file, mp4);
            var probed = await ClipMedia.ProbeAsync(file);
            Assert.Equal(("h264", "aac"), (probed.VideoCodec, probed.AudioCodec));
            Assert.Equal((640, 360), (probed.Width, probed.Height));
            Assert.InRange(probed.Duration, Asked - Segment, Asked + 0.3);
            Assert.InRange(probed.Duration, duration - 0.1, duration + 0.1);
        }
        finally
        {
            File.Delete(file);
        }

        await VideoBroadcast.AssertThumbnailAsync(http, clip.GetProperty("thumbnailUrl").GetString()!);

        // Listed on the channel, readable by anyone.
        var anyone = fixture.CreateClient();
        var id = clip.GetProperty("id").GetString();
        var listed = (await anyone.DataAsync("query($c: ID!) { clips(channelId: $c) { edges { node { id } } } }", new { c = live.Owner.Id })).GetProperty("clips").GetProperty("edges");
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).GetProperty("node").GetProperty("id").GetString());
        Assert.Equal("READY", (await anyone.DataAsync("query($id: ID!) { clip(id: $id) { status } }", new { id })).GetProperty("clip").GetProperty("status").GetString());

        // The broadcast ends: a clip from its past broadcast starts where asked; a range past its end is refused.
        await live.EndAsync();
        var video = await WaitForVideoAsync(anyone, live.StreamId);
        var length = video.GetProperty("durationSeconds").GetDouble();
        var past = (await viewer.DataAsync(LiveClip.Create, new { c = live.Owner.Id, v = live.StreamId, f = 2.0, s = 5, t = "From the VOD" })).GetProperty("createClip");
        Assert.Equal("READY", past.GetProperty("status").GetString());
        Assert.False(past.GetProperty("fromLive").GetBoolean());
        Assert.Equal(2.0, past.GetProperty("offsetSeconds").GetDouble(), 3);
        Assert.InRange(past.GetProperty("durationSeconds").GetDouble(), 4.9, 5.3);
        var outside = await viewer.SendAsync(LiveClip.Create, new { c = live.Owner.Id, v = live.StreamId, f = length - 1, s = 5, t = "Too late" });
        outside.AssertError("BAD_USER_INPUT");
        Assert.Equal("fromSeconds", outside.FirstError.GetProperty("extensions").GetProperty("field").GetString());

        // Deleting: a stranger may not; the broadcaster may, and the files go.
        var stranger = fixture.CreateClient();
        await stranger.RegisterAsync();
        (await stranger.SendAsync("mutation($id: ID!) { deleteClip(id: $id) }", new { id })).AssertError("FORBIDDEN");
        Assert.True((await live.OwnerClient.DataAsync("mutation($id: ID!) { deleteClip(id: $id) }", new { id })).GetProperty("deleteClip").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(clip.GetProperty("thumbnailUrl").GetString())).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await anyone.DataAsync("query($id: ID!) { clip(id: $id) { id } }", new { id })).GetProperty("clip").ValueKind);
        (await live.OwnerClient.SendAsync("mutation($id: ID!) { deleteClip(id: $id) }", new { id })).AssertError("NOT_FOUND");

        // The past broadcast's clip stays when the video is deleted: it is a copy.
        Assert.True((await live.OwnerClient.DataAsync("mutation($id: ID!) { deleteVideo(id: $id) }", new { id = live.StreamId })).GetProperty("deleteVideo").GetBoolean());
        var kept = (await anyone.DataAsync("query($id: ID!) { clip(id: $id) { status videoUrl video { id } } }", new { id = past.GetProperty("id").GetString() })).GetProperty("clip");
        Assert.Equal("READY", kept.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, kept.GetProperty("video").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(kept.GetProperty("videoUrl").GetString())).StatusCode);

        // The stream key went nowhere near a clip.
        Assert.DoesNotContain(await fixture.StreamKeyAsync(live.OwnerClient), fixture.Api.Output, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WaitForVideoAsync(GraphQLClient client, string id)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var video = (await client.DataAsync("query($id: ID!) { video(id: $id) { durationSeconds } }", new { id })).GetProperty("video");
            if (video.ValueKind == JsonValueKind.Object)
            {
                return video;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "The past broadcast never became ready.");
            await Task.Delay(200);
        }
    }
}
