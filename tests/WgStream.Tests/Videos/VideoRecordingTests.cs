using System.Diagnostics;
using System.Net;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;

namespace WgStream.Tests.Videos;

/// <summary>
/// Past broadcasts with the real programs: ffmpeg publishes to nginx-rtmp, the Api's recorder remuxes
/// the relayed stream into segments that go to the media store, and the end of the broadcast makes a
/// VOD playlist; its chat is replayed without what moderators removed.
/// </summary>
[Collection(StreamsCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class VideoRecordingTests(StreamsFixture fixture)
{
    [Fact]
    public async Task A_broadcast_becomes_a_playable_video_within_10_s_of_its_end_with_its_chat_and_only_the_owner_deletes_it()
    {
        var broadcast = await VideoBroadcast.RecordAsync(fixture, fixture.Ingest);
        var video = broadcast.Video;
        using var api = new HttpClient { BaseAddress = fixture.Api.BaseAddress };

        // The VOD playlist, served from the local media store, with every segment playable.
        var playlistUrl = video.GetProperty("playlistUrl").GetString()!;
        using var served = await api.GetAsync(playlistUrl);
        Assert.Equal("application/vnd.apple.mpegurl", served.Content.Headers.ContentType?.MediaType);
        var playlist = await served.Content.ReadAsStringAsync();
        await VideoBroadcast.AssertPlayableAsync(api, new Uri(api.BaseAddress!, playlistUrl), playlist, broadcast.Length);
        await VideoBroadcast.AssertThumbnailAsync(api, video.GetProperty("thumbnailUrl").GetString()!);

        // Chat replay: in step with the recording, without the deleted message or the banned user's.
        var viewer = fixture.CreateClient();
        var chat = (await viewer.DataAsync("query($id: ID!) { video(id: $id) { chat(first: 50) { edges { offsetSeconds node { text } } pageInfo { hasNextPage } } } }", new { id = broadcast.VideoId }))
            .GetProperty("video").GetProperty("chat");
        var replayed = chat.GetProperty("edges").EnumerateArray().Select(e => (Text: e.GetProperty("node").GetProperty("text").GetString(), Offset: e.GetProperty("offsetSeconds").GetDouble())).ToList();
        Assert.Equal(["first visible", "second visible"], replayed.Select(m => m.Text));
        Assert.All(replayed, m => Assert.InRange(m.Offset, 0, video.GetProperty("durationSeconds").GetDouble()));
        Assert.True(replayed[1].Offset - replayed[0].Offset >= 0.9, $"The messages were a second apart, replayed {replayed[1].Offset - replayed[0].Offset:0.000} s apart.");
        Assert.False(chat.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());

        // What the web client asks (web/src/pages/videos/ChatReplay.tsx), read from its build so a field
        // added to a chat line is scored too: a full page within the request limits.
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(
            await File.ReadAllTextAsync(Path.Combine(WgStream.Tests.Web.WebFixture.WebRoot, "app", "persisted-documents.json")))!;
        var replayPage = Assert.Single(manifest.Values, d => d.Contains("query ReplayPage", StringComparison.Ordinal));
        var full = await viewer.SendAsync(replayPage, new { id = broadcast.VideoId, from = 0.0 });
        Assert.True(full.Succeeded, full.Body);
        Assert.Equal(2, full.Data.GetProperty("video").GetProperty("chat").GetProperty("edges").GetArrayLength());

        // Seeking: from just after the first message only the second is left.
        var later = (await viewer.DataAsync("query($id: ID!, $s: Float) { video(id: $id) { chat(fromSeconds: $s) { edges { node { text } } } } }", new { id = broadcast.VideoId, s = replayed[0].Offset + 0.5 }))
            .GetProperty("video").GetProperty("chat").GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("text").GetString());
        Assert.Equal(["second visible"], later);

        // Paging by cursor continues where the last page ended.
        var one = (await viewer.DataAsync("query($id: ID!) { video(id: $id) { chat(first: 1) { edges { cursor node { text } } pageInfo { hasNextPage endCursor } } } }", new { id = broadcast.VideoId }))
            .GetProperty("video").GetProperty("chat");
        Assert.True(one.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var next = (await viewer.DataAsync("query($id: ID!, $a: String) { video(id: $id) { chat(first: 1, after: $a) { edges { node { text } } } } }", new { id = broadcast.VideoId, a = one.GetProperty("pageInfo").GetProperty("endCursor").GetString() }))
            .GetProperty("video").GetProperty("chat").GetProperty("edges");
        Assert.Equal("second visible", next[0].GetProperty("node").GetProperty("text").GetString());

        // Bad input has stable codes.
        (await viewer.SendAsync("query($id: ID!) { video(id: $id) { chat(fromSeconds: -1) { edges { cursor } } } }", new { id = broadcast.VideoId })).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync("query($id: ID!) { video(id: $id) { chat(first: 1000) { edges { cursor } } } }", new { id = broadcast.VideoId })).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync("query($id: ID!) { video(id: $id) { chat(after: \"bm9wZQ\") { edges { cursor } } } }", new { id = broadcast.VideoId })).AssertError("BAD_USER_INPUT");
        (await viewer.SendAsync("query($c: ID!) { videos(channelId: $c, after: \"bm9wZQ\") { edges { cursor } } }", new { c = broadcast.Owner.Id })).AssertError("BAD_USER_INPUT");

        // Someone else cannot delete it; an anonymous caller must sign in; the owner can, and its files go.
        await viewer.RegisterAsync();
        (await viewer.SendAsync("mutation($id: ID!) { deleteVideo(id: $id) }", new { id = broadcast.VideoId })).AssertError("FORBIDDEN");
        (await fixture.CreateClient().SendAsync("mutation($id: ID!) { deleteVideo(id: $id) }", new { id = broadcast.VideoId })).AssertError("UNAUTHENTICATED");
        Assert.True((await broadcast.OwnerClient.DataAsync("mutation($id: ID!) { deleteVideo(id: $id) }", new { id = broadcast.VideoId })).GetProperty("deleteVideo").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(playlistUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(new Uri(new Uri(api.BaseAddress!, playlistUrl), "00000.ts"))).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await viewer.DataAsync("query($id: ID!) { video(id: $id) { id } }", new { id = broadcast.VideoId })).GetProperty("video").ValueKind);
        Assert.Empty((await viewer.DataAsync("query($c: ID!) { videos(channelId: $c) { edges { cursor } } }", new { c = broadcast.Owner.Id })).GetProperty("videos").GetProperty("edges").EnumerateArray());
        (await broadcast.OwnerClient.SendAsync("mutation($id: ID!) { deleteVideo(id: $id) }", new { id = broadcast.VideoId })).AssertError("NOT_FOUND");
    }

    [Fact]
    public async Task A_channel_that_switched_recording_off_gets_no_video()
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var settings = (await owner.DataAsync("mutation { updateStream(input: { recordBroadcasts: false }) { recordBroadcasts } }")).GetProperty("updateStream");
        Assert.False(settings.GetProperty("recordBroadcasts").GetBoolean());
        var key = await fixture.StreamKeyAsync(owner);
        await using var status = await Subscription.StartAsync(fixture.WebSocketUri, VideoBroadcast.Status, new { c = account.Id });
        await using (var ffmpeg = FfmpegPublisher.Start($"{fixture.IngestUrl}/{key}"))
        {
            var live = await status.NextAsync(d => VideoBroadcast.Kind(d) == "LIVE", TimeSpan.FromSeconds(20));
            var streamId = live.GetProperty("streamStatusChanged").GetProperty("streamId").GetString()!;
            await WaitForLogAsync($"broadcast {streamId} is not recorded");
            await ffmpeg.StopAsync();
        }

        await status.NextAsync(d => VideoBroadcast.Kind(d) == "OFFLINE", TimeSpan.FromSeconds(15));
        Assert.Empty((await owner.DataAsync("query($c: ID!) { videos(channelId: $c) { edges { cursor } } }", new { c = account.Id })).GetProperty("videos").GetProperty("edges").EnumerateArray());
        Assert.True((await owner.DataAsync("{ streamSettings { recordBroadcasts } }")).GetProperty("streamSettings").GetProperty("recordBroadcasts").ValueKind == JsonValueKind.False);
    }

    private async Task WaitForLogAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (!fixture.Api.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"The Api never logged \"{text}\".");
            await Task.Delay(200);
        }
    }
}
