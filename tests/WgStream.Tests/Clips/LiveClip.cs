using System.Diagnostics;
using System.Text.Json;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;
using WgStream.Tests.Videos;

namespace WgStream.Tests.Clips;

/// <summary>A channel live from ffmpeg publishing as OBS does, long enough for its recording to hold a clip's worth.</summary>
public sealed class LiveClip : IAsyncDisposable
{
    public const string Fields =
        "id title status failureReason fromLive offsetSeconds durationSeconds videoId videoUrl thumbnailUrl viewCount createdAt channel { username } creator { username }";

    public const string Create =
        "mutation($c: ID!, $v: ID, $f: Float, $s: Int, $t: String!) { createClip(channelId: $c, videoId: $v, fromSeconds: $f, seconds: $s, title: $t) { " + Fields + " } }";

    private readonly FfmpegPublisher ffmpeg;

    private LiveClip(TestAccount owner, GraphQLClient ownerClient, string streamId, FfmpegPublisher ffmpeg, Subscription status)
    {
        Owner = owner;
        OwnerClient = ownerClient;
        StreamId = streamId;
        this.ffmpeg = ffmpeg;
        Status = status;
    }

    public TestAccount Owner { get; }

    public GraphQLClient OwnerClient { get; }

    public string StreamId { get; }

    public Subscription Status { get; }

    /// <summary>Goes live and waits until the HLS output has begun (the recorder starts with it) plus <paramref name="recorded"/>.</summary>
    public static async Task<LiveClip> StartAsync(ApiFixture fixture, RtmpIngest ingest, TimeSpan recorded)
    {
        var owner = fixture.CreateClient();
        var account = await owner.RegisterAsync();
        var key = (await owner.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
        var status = await Subscription.StartAsync(fixture.WebSocketUri, VideoBroadcast.Status, new { c = account.Id });
        var ffmpeg = FfmpegPublisher.Start($"{ingest.IngestUrl}/{key}");
        try
        {
            var live = await status.NextAsync(d => VideoBroadcast.Kind(d) == "LIVE", TimeSpan.FromSeconds(20));
            var streamId = live.GetProperty("streamStatusChanged").GetProperty("streamId").GetString()!;
            using var http = new HttpClient();
            await HlsPlaylist.WaitForSegmentsAsync(http, new Uri($"http://127.0.0.1:{ingest.HlsPort}/hls/{account.Id:N}/source/live.m3u8"), 2);
            await Task.Delay(recorded);
            return new LiveClip(account, owner, streamId, ffmpeg, status);
        }
        catch
        {
            await ffmpeg.DisposeAsync();
            await status.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// createClip of the live stream, asked again while the recording holds too little yet (CONFLICT
    /// with a retry time: the recorder can lag on a loaded machine).
    /// </summary>
    public static async Task<JsonElement> ClipLiveAsync(GraphQLClient viewer, Guid channelId, int seconds, string title)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var response = await viewer.SendAsync(Create, new { c = channelId, s = seconds, t = title });
            if (response.Succeeded)
            {
                return response.Data.GetProperty("createClip");
            }

            Assert.True(response.ErrorCode == "CONFLICT" && deadline.Elapsed < TimeSpan.FromSeconds(30), response.Body);
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, response.FirstError.GetProperty("extensions").GetProperty("retryAfterSeconds").GetInt32())));
        }
    }

    /// <summary>Stops the encoder and waits for the channel to go offline.</summary>
    public async Task EndAsync()
    {
        await ffmpeg.StopAsync();
        await Status.NextAsync(d => VideoBroadcast.Kind(d) == "OFFLINE", TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        await ffmpeg.DisposeAsync();
        await Status.DisposeAsync();
    }
}
