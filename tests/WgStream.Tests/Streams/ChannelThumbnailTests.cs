using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SkiaSharp;
using WgStream.GrainInterfaces.Channels;
using WgStream.Tests.Channels;
using WgStream.Tests.Media;
using static WgStream.Tests.Channels.DiscoveryFixture;

namespace WgStream.Tests.Streams;

/// <summary>
/// The owner's uploaded thumbnail (POST /media/thumbnail, removeThumbnail) and its precedence over
/// the live frame the ingest captures: live frame while live (once there is one), upload otherwise.
/// </summary>
[Collection(DiscoveryCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelThumbnailTests(DiscoveryFixture fixture)
{
    private const string Page = "query($u: String!) { channel(username: $u) { isLive thumbnailUrl customThumbnailUrl liveStream { thumbnailUrl } } }";

    [Fact]
    public async Task The_live_frame_shows_while_live_and_the_owners_thumbnail_otherwise()
    {
        var owner = await fixture.StreamerAsync("art");
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };

        var upload = await UploadAsync(http, owner.Account.Token, TestImages.Encode(SKEncodedImageFormat.Png, 1920, 1080, TestImages.Blue));
        Assert.Equal(HttpStatusCode.OK, upload.Status);
        var custom = upload.Json.GetProperty("urls").GetProperty("1280x720").GetString()!;
        await AssertWebPAsync(http, custom, 1280, 720, TestImages.Blue);

        var offline = await PageAsync(owner);
        Assert.Equal(custom, offline.GetProperty("thumbnailUrl").GetString());
        Assert.Equal(custom, offline.GetProperty("customThumbnailUrl").GetString());
        Assert.Equal(custom, await ListedThumbnailAsync(owner));

        // Live: the upload shows until the first frame is captured (the stand-in ffmpeg prints a red one), then the frame.
        await owner.GoLiveAsync();
        var live = await EventuallyAsync(() => PageAsync(owner), p => p.GetProperty("thumbnailUrl").GetString() != custom, "the first live frame");
        var frame = live.GetProperty("thumbnailUrl").GetString()!;
        Assert.True(live.GetProperty("isLive").GetBoolean());
        Assert.Equal(frame, live.GetProperty("liveStream").GetProperty("thumbnailUrl").GetString());
        Assert.Equal(custom, live.GetProperty("customThumbnailUrl").GetString());
        await AssertWebPAsync(http, frame, 640, 360, TestImages.Red);
        Assert.Equal(frame, await ListedThumbnailAsync(owner));
        var live2 = Nodes((await fixture.CreateClient().DataAsync("{ randomLiveStreams(first: 50) { id thumbnailUrl } }")).GetProperty("randomLiveStreams"));
        Assert.Equal(frame, Assert.Single(live2, n => Id(n) == owner.Id).GetProperty("thumbnailUrl").GetString());

        // Offline again: back to the upload, on the page and in the directory; a late frame of the ended stream changes nothing.
        var streamId = Guid.Parse((await owner.Client.DataAsync("query($u: String!) { channel(username: $u) { liveStream { id } } }", new { u = owner.Account.Username }))
            .GetProperty("channel").GetProperty("liveStream").GetProperty("id").GetString()!);
        await owner.EndAsync();
        await fixture.Cluster.GetGrain<IChannelGrain>(owner.Account.Id).SetLiveThumbnailAsync(streamId, "/media/late-frame.webp");
        var ended = await PageAsync(owner);
        Assert.False(ended.GetProperty("isLive").GetBoolean());
        Assert.Equal(custom, ended.GetProperty("thumbnailUrl").GetString());
        Assert.Equal(custom, await ListedThumbnailAsync(owner));

        // A new upload replaces the old one and deletes its file.
        var second = await UploadAsync(http, owner.Account.Token, TestImages.Encode(SKEncodedImageFormat.Jpeg, 800, 800, TestImages.Green));
        var replacement = second.Json.GetProperty("urls").GetProperty("1280x720").GetString()!;
        await AssertWebPAsync(http, replacement, 1280, 720, TestImages.Green);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(custom)).StatusCode);

        // Removing it: only the signed-in owner, for their own channel.
        const string remove = "mutation { removeThumbnail { thumbnailUrl customThumbnailUrl } }";
        (await fixture.CreateClient().SendAsync(remove)).AssertError("UNAUTHENTICATED");
        var removed = (await owner.Client.DataAsync(remove)).GetProperty("removeThumbnail");
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("thumbnailUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, removed.GetProperty("customThumbnailUrl").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(replacement)).StatusCode);
        Assert.Null(await ListedThumbnailAsync(owner));
        Assert.Equal(JsonValueKind.Null, (await owner.Client.DataAsync(remove)).GetProperty("removeThumbnail").GetProperty("thumbnailUrl").ValueKind);
    }

    [Fact]
    public async Task Thumbnail_uploads_need_a_signed_in_owner_and_an_image()
    {
        var owner = await fixture.StreamerAsync();
        var other = await fixture.StreamerAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };

        var anonymous = await UploadAsync(http, null, TestImages.Png(1280, 720));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("UNAUTHENTICATED", anonymous.Json.GetProperty("code").GetString());

        var text = await UploadAsync(http, owner.Account.Token, "not an image"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, text.Status);
        Assert.Equal("BAD_USER_INPUT", text.Json.GetProperty("code").GetString());
        Assert.Equal("file", text.Json.GetProperty("field").GetString());

        // An upload sets the uploader's own channel, never another one.
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(http, owner.Account.Token, TestImages.Png(1280, 720))).Status);
        Assert.NotEqual(JsonValueKind.Null, (await PageAsync(owner)).GetProperty("thumbnailUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, (await PageAsync(other)).GetProperty("thumbnailUrl").ValueKind);

        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/media/thumbnail");
        delete.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner.Account.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(delete)).StatusCode);
        Assert.Equal(JsonValueKind.Null, (await PageAsync(owner)).GetProperty("thumbnailUrl").ValueKind);
    }

    private async Task<JsonElement> PageAsync(Streamer streamer) =>
        (await fixture.CreateClient().DataAsync(Page, new { u = streamer.Account.Username })).GetProperty("channel");

    /// <summary>The thumbnail the directory lists for the channel (search finds it by its unique username).</summary>
    private async Task<string?> ListedThumbnailAsync(Streamer streamer)
    {
        var found = Nodes((await fixture.CreateClient().DataAsync(
                "query($q: String!) { searchChannels(query: $q, first: 50) { edges { node { id thumbnailUrl } } } }", new { q = streamer.Account.Username }))
            .GetProperty("searchChannels").GetProperty("edges")).Select(e => e.GetProperty("node"));
        return Assert.Single(found, n => Id(n) == streamer.Id).GetProperty("thumbnailUrl").GetString();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> UploadAsync(HttpClient http, string? token, byte[] bytes)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "thumbnail.bin" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/media/thumbnail") { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default);
    }

    private static async Task AssertWebPAsync(HttpClient http, string url, int width, int height, SKColor color)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        Assert.Equal(SKEncodedImageFormat.Webp, codec.EncodedFormat);
        Assert.Equal((width, height), (codec.Info.Width, codec.Info.Height));
        TestImages.AssertNear(color, TestImages.PixelAt(bytes, width / 2, height / 2));
    }
}
