using System.Diagnostics;
using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;

namespace WgStream.Tests.Videos;

/// <summary>
/// One recorded broadcast for the video tests: a new account goes live with ffmpeg for about
/// <see cref="Length"/>, its chat gets two visible messages, one a moderator deletes and one from a
/// user banned afterwards; then it ends and the video is waited for (at most 10 s, the target).
/// </summary>
public sealed record VideoBroadcast(TestAccount Owner, GraphQLClient OwnerClient, string VideoId, JsonElement Video, TimeSpan Length, TimeSpan ReadyAfter)
{
    public const string Status = "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind streamId } }";

    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id } }";

    private const string Fields = "id title status startedAt endedAt durationSeconds playlistUrl thumbnailUrl channel { username }";

    public static async Task<VideoBroadcast> RecordAsync(ApiFixture fixture, RtmpIngest ingest)
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        await owner.DataAsync("mutation { updateStream(input: { title: \"Speedrun night\" }) { title } }");
        var key = (await owner.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
        var chatter = fixture.CreateClient();
        await chatter.RegisterAsync();
        var troll = fixture.CreateClient();
        var trollAccount = await troll.RegisterAsync();
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri, Status, new { c = account.Id });

        string streamId;
        var length = Stopwatch.StartNew();
        await using (var ffmpeg = FfmpegPublisher.Start($"{ingest.IngestUrl}/{key}"))
        {
            var live = await status.NextAsync(d => Kind(d) == "LIVE", TimeSpan.FromSeconds(20));
            streamId = live.GetProperty("streamStatusChanged").GetProperty("streamId").GetString()!;
            length.Restart();

            // The HLS output is flowing, so the recorder (started with it) is writing too.
            using var http = new HttpClient();
            await HlsPlaylist.WaitForSegmentsAsync(http, new Uri($"http://127.0.0.1:{ingest.HlsPort}/hls/{account.Id:N}/source/live.m3u8"), 2);
            await chatter.DataAsync(Send, new { c = account.Id, t = "first visible" });
            var deleted = (await chatter.DataAsync(Send, new { c = account.Id, t = "deleted by a moderator" })).GetProperty("sendChatMessage").GetProperty("id").GetString();
            await troll.DataAsync(Send, new { c = account.Id, t = "from a user banned later" });
            await owner.DataAsync("mutation($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) }", new { c = account.Id, m = deleted });
            await Task.Delay(TimeSpan.FromSeconds(1));
            await chatter.DataAsync(Send, new { c = account.Id, t = "second visible" });
            await Task.Delay(TimeSpan.FromSeconds(7));
            await ffmpeg.StopAsync();
        }

        await status.NextAsync(d => Kind(d) == "OFFLINE", TimeSpan.FromSeconds(15));
        var ended = Stopwatch.StartNew();
        var broadcastLength = length.Elapsed;
        // Banned after the broadcast: still left out of its replay.
        await owner.DataAsync("mutation($c: ID!, $u: ID!) { banUser(channelId: $c, userId: $u) }", new { c = account.Id, u = trollAccount.Id });

        var anyone = fixture.CreateClient();
        while (true)
        {
            var edges = (await anyone.DataAsync($"query($c: ID!) {{ videos(channelId: $c) {{ edges {{ node {{ {Fields} }} }} }} }}", new { c = account.Id }))
                .GetProperty("videos").GetProperty("edges");
            if (edges.GetArrayLength() > 0)
            {
                var video = edges[0].GetProperty("node");
                Assert.Equal(streamId, video.GetProperty("id").GetString());
                Assert.Equal("Speedrun night", video.GetProperty("title").GetString());
                Assert.Equal("READY", video.GetProperty("status").GetString());
                Assert.Equal(account.Username, video.GetProperty("channel").GetProperty("username").GetString());
                Assert.InRange(video.GetProperty("durationSeconds").GetDouble(), broadcastLength.TotalSeconds - 6, broadcastLength.TotalSeconds + 2);
                return new VideoBroadcast(account, owner, streamId, video, broadcastLength, ended.Elapsed);
            }

            Assert.True(ended.Elapsed < TimeSpan.FromSeconds(10), $"No video 10 s after the broadcast ended. Api log tail: {fixture.Api.OutputTail(3000)}");
            await Task.Delay(200);
        }
    }

    /// <summary>A VOD playlist whose every segment is MPEG-TS, served, and adds up to about the broadcast.</summary>
    public static async Task AssertPlayableAsync(HttpClient http, Uri playlistUrl, string playlist, TimeSpan length)
    {
        Assert.StartsWith("#EXTM3U\n", playlist, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD\n", playlist, StringComparison.Ordinal);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME:", playlist, StringComparison.Ordinal);
        Assert.EndsWith("#EXT-X-ENDLIST\n", playlist, StringComparison.Ordinal);
        var segments = HlsPlaylist.Segments(playlist);
        Assert.True(segments.Count >= 2, playlist);
        Assert.InRange(HlsPlaylist.SegmentDurations(playlist).Sum(), length.TotalSeconds - 6, length.TotalSeconds + 2);
        foreach (var segment in segments)
        {
            using var response = await http.GetAsync(new Uri(playlistUrl, segment));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("video/mp2t", response.Content.Headers.ContentType?.MediaType);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.Length > 10_000, $"{segment} has {bytes.Length} bytes");
            Assert.Equal(0x47, bytes[0]); // MPEG-TS sync byte
        }
    }

    public static async Task AssertThumbnailAsync(HttpClient http, string url)
    {
        using var codec = SkiaSharp.SKCodec.Create(new MemoryStream(await http.GetByteArrayAsync(url)));
        Assert.Equal(SkiaSharp.SKEncodedImageFormat.Webp, codec.EncodedFormat);
        Assert.Equal((640, 360), (codec.Info.Width, codec.Info.Height));
    }

    public static string? Kind(JsonElement data) => data.GetProperty("streamStatusChanged").GetProperty("kind").GetString();
}
