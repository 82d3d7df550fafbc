using System.Net;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;

namespace WgStream.Tests.Videos;

/// <summary>The Api recording into an S3-compatible bucket (s3rver), read back over plain HTTP as a player would.</summary>
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class VideoRecordingS3Tests(VideoRecordingS3Tests.S3StreamsFixture fixture) : IClassFixture<VideoRecordingS3Tests.S3StreamsFixture>
{
    [Fact]
    public async Task A_broadcast_recorded_to_s3_plays_from_the_bucket_and_deleting_it_empties_its_prefix()
    {
        var broadcast = await VideoBroadcast.RecordAsync(fixture, fixture.Ingest);
        var playlistUrl = new Uri(broadcast.Video.GetProperty("playlistUrl").GetString()!);
        Assert.StartsWith($"{fixture.S3.ServiceUrl.ToString().TrimEnd('/')}/wg-test-videos/videos/", playlistUrl.ToString(), StringComparison.Ordinal);
        using var http = new HttpClient();
        using var served = await http.GetAsync(playlistUrl);
        Assert.Equal("application/vnd.apple.mpegurl", served.Content.Headers.ContentType?.MediaType);
        await VideoBroadcast.AssertPlayableAsync(http, playlistUrl, await served.Content.ReadAsStringAsync(), broadcast.Length);
        await VideoBroadcast.AssertThumbnailAsync(http, broadcast.Video.GetProperty("thumbnailUrl").GetString()!);

        Assert.True((await broadcast.OwnerClient.DataAsync("mutation($id: ID!) { deleteVideo(id: $id) }", new { id = broadcast.VideoId })).GetProperty("deleteVideo").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(playlistUrl)).StatusCode);
        var listing = await http.GetStringAsync(new Uri(fixture.S3.ServiceUrl, $"/wg-test-videos?prefix=videos/{Guid.Parse(broadcast.VideoId):N}/"));
        Assert.DoesNotContain("<Key>", listing, StringComparison.Ordinal);
    }

    public sealed class S3StreamsFixture : StreamsFixture
    {
        public S3Server S3 { get; } = new();

        protected override IDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
        {
            ["WG_Media__Store"] = "S3",
            ["WG_Media__S3__ServiceUrl"] = S3.ServiceUrl.ToString(),
            ["WG_Media__S3__Bucket"] = "wg-test-videos",
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
