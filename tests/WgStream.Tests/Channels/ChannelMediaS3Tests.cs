using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Channels;

/// <summary>The Api configured for S3 (AWSSDK.S3 against a real S3-compatible server, s3rver): uploads land in the bucket.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ChannelMediaS3Tests(ChannelMediaS3Tests.S3ApiFixture fixture) : IClassFixture<ChannelMediaS3Tests.S3ApiFixture>
{
    [Fact]
    public async Task Avatars_are_stored_in_the_bucket_and_replaced_objects_removed()
    {
        var account = await fixture.CreateClient().RegisterAsync();
        using var api = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        using var s3 = new HttpClient();

        var first = await UploadAsync(api, account.Token);
        var url = first.GetProperty("urls").GetProperty("300").GetString()!;
        Assert.StartsWith(fixture.S3.ServiceUrl.ToString().TrimEnd('/') + "/wg-test-media/avatars/", url, StringComparison.Ordinal);
        using (var stored = await s3.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
            Assert.Equal("image/webp", stored.Content.Headers.ContentType?.MediaType);
        }

        var listing = await s3.GetStringAsync(new Uri(fixture.S3.ServiceUrl, "/wg-test-media"));
        Assert.Contains($"avatars/{account.Id:N}/", listing, StringComparison.Ordinal);

        await UploadAsync(api, account.Token);
        Assert.Equal(HttpStatusCode.NotFound, (await s3.GetAsync(url)).StatusCode);
    }

    private static async Task<JsonElement> UploadAsync(HttpClient http, string token)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(640, 480)), "file", "me.png" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/media/avatar") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public sealed class S3ApiFixture : ApiFixture
    {
        public S3Server S3 { get; } = new();

        protected override IDictionary<string, string> Settings => new Dictionary<string, string>
        {
            ["WG_Media__Store"] = "S3",
            ["WG_Media__S3__ServiceUrl"] = S3.ServiceUrl.ToString(),
            ["WG_Media__S3__Bucket"] = "wg-test-media",
            ["WG_Media__S3__AccessKey"] = S3Server.AccessKey,
            ["WG_Media__S3__SecretKey"] = S3Server.SecretKey,
        };

        public override async Task InitializeAsync()
        {
            await S3.InitializeAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await S3.DisposeAsync();
        }
    }
}
