using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using SkiaSharp;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Channels;

/// <summary>Avatar and banner uploads through the running Api, stored on local disk (the default store).</summary>
[Collection(ApiCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelMediaTests(ApiFixture fixture)
{
    [Fact]
    public async Task Avatars_are_resized_to_webp_served_and_the_replaced_files_deleted()
    {
        var client = fixture.CreateClient();
        var account = await client.RegisterAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };

        var first = await UploadAsync(http, "avatar", account.Token, TestImages.Png(800, 600));
        Assert.Equal(HttpStatusCode.OK, first.Status);
        var big = first.Json.GetProperty("urls").GetProperty("300").GetString()!;
        var small = first.Json.GetProperty("urls").GetProperty("70").GetString()!;
        await AssertWebPAsync(http, big, 300, 300);
        await AssertWebPAsync(http, small, 70, 70);

        var channel = (await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { avatarUrl avatarSmallUrl } }", new { u = account.Username })).GetProperty("channel");
        Assert.Equal(big, channel.GetProperty("avatarUrl").GetString());
        Assert.Equal(small, channel.GetProperty("avatarSmallUrl").GetString());

        var second = await UploadAsync(http, "avatar", account.Token, TestImages.Encode(SKEncodedImageFormat.Jpeg, 400, 400, TestImages.Blue));
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.NotEqual(big, second.Json.GetProperty("urls").GetProperty("300").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(big)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(small)).StatusCode);

        var banner = await UploadAsync(http, "banner", account.Token, TestImages.Png(2000, 1000));
        await AssertWebPAsync(http, banner.Json.GetProperty("urls").GetProperty("1200x480").GetString()!, 1200, 480);

        using var remove = new HttpRequestMessage(HttpMethod.Delete, "/media/avatar");
        remove.Headers.Authorization = new AuthenticationHeaderValue("Bearer", account.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(remove)).StatusCode);
        var after = (await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { avatarUrl bannerUrl } }", new { u = account.Username })).GetProperty("channel");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("avatarUrl").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("bannerUrl").ValueKind);
    }

    [Fact]
    public async Task Bad_uploads_are_refused_with_clear_codes()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };

        var anonymous = await UploadAsync(http, "avatar", null, TestImages.Png(100, 100));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal("UNAUTHENTICATED", anonymous.Json.GetProperty("code").GetString());

        var text = await UploadAsync(http, "avatar", account.Token, "not an image at all"u8.ToArray());
        Assert.Equal(HttpStatusCode.BadRequest, text.Status);
        Assert.Equal("BAD_USER_INPUT", text.Json.GetProperty("code").GetString());
        Assert.Equal("file", text.Json.GetProperty("field").GetString());

        var bomb = await UploadAsync(http, "avatar", account.Token, TestImages.ForgedPng(30000, 30000));
        Assert.Equal(HttpStatusCode.BadRequest, bomb.Status);
        Assert.Equal("BAD_USER_INPUT", bomb.Json.GetProperty("code").GetString());

        var huge = await UploadAsync(http, "avatar", account.Token, new byte[9 * 1024 * 1024]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.Status);

        Assert.Equal(HttpStatusCode.NotFound, (await UploadAsync(http, "wallpaper", account.Token, TestImages.Png(100, 100))).Status);
    }

    [Fact]
    public async Task Uploads_are_rate_limited_per_account_before_the_body_is_read()
    {
        // The shipped default, untuned: RateLimits:UploadPerAccount allows 30 uploads per account in ten minutes.
        var account = await fixture.CreateClient().RegisterAsync();
        var other = await fixture.CreateClient().RegisterAsync();
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var image = TestImages.Png(16, 16);

        // Refused files count too: each one was still a transfer and an attempt to decode.
        for (var i = 0; i < 30; i++)
        {
            var upload = await UploadAsync(http, "avatar", account.Token, i % 3 == 0 ? "not an image"u8.ToArray() : image);
            Assert.Equal(i % 3 == 0 ? HttpStatusCode.BadRequest : HttpStatusCode.OK, upload.Status);
        }

        using var refused = await SendUploadAsync(http, "banner", account.Token, image);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var json = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("RATE_LIMITED", json.GetProperty("code").GetString());
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal(retryAfter, json.GetProperty("retryAfterSeconds").GetInt32());

        // Checked before the body: a file that would be refused as oversize or unreadable is refused for the rate instead.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await UploadAsync(http, "avatar", account.Token, "not an image"u8.ToArray())).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await UploadAsync(http, "avatar", account.Token, new byte[9 * 1024 * 1024])).Status);

        // Per account: another one uploads as usual.
        Assert.Equal(HttpStatusCode.OK, (await UploadAsync(http, "avatar", other.Token, image)).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> UploadAsync(HttpClient http, string kind, string? token, byte[] bytes)
    {
        using var response = await SendUploadAsync(http, kind, token, bytes);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default);
    }

    private static async Task<HttpResponseMessage> SendUploadAsync(HttpClient http, string kind, string? token, byte[] bytes)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", "upload.bin" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/media/{kind}") { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    private static async Task AssertWebPAsync(HttpClient http, string url, int width, int height)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
        using var codec = SKCodec.Create(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        Assert.Equal(SKEncodedImageFormat.Webp, codec.EncodedFormat);
        Assert.Equal((width, height), (codec.Info.Width, codec.Info.Height));
    }
}
