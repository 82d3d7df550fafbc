using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Clips;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.GrainInterfaces.Videos;
using WgStream.Grains.Clips;
using WgStream.Gateways.Media;
using WgStream.Grains.Videos;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Clips;

/// <summary>
/// The clip grain's rules with the real silo composition, PostgreSQL, the local media store and
/// ffmpeg: recordings here are real MPEG-TS segments (made by ffmpeg as the recorder makes them),
/// added to a video grain the way the recorder adds them.
/// </summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class ClipGrainTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 20, 0, 0, TimeSpan.Zero);

    private IServiceProvider SiloServices => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;

    private IMediaStore Media => SiloServices.GetRequiredService<IMediaStore>();

    [Fact]
    public async Task Requests_are_checked_before_any_work_with_the_field_at_fault()
    {
        var recording = await RecordingAsync(await ClipMedia.SegmentsAsync(3));
        var viewer = await fixture.RegisterAsync();

        // Shape: length and title (nothing counted against the rate limit yet).
        await AssertRefusedAsync(ErrorCodes.BadUserInput, "seconds", viewer.Id, Live(recording, seconds: 4));
        await AssertRefusedAsync(ErrorCodes.BadUserInput, "seconds", viewer.Id, Live(recording, seconds: 61));
        await AssertRefusedAsync(ErrorCodes.BadUserInput, "title", viewer.Id, Live(recording) with { Title = " \n\u200B " });
        await AssertRefusedAsync(ErrorCodes.BadUserInput, "title", viewer.Id, Live(recording) with { Title = new string('a', 101) });
        await AssertRefusedAsync(ErrorCodes.BadUserInput, "fromSeconds", viewer.Id, Live(recording) with { From = TimeSpan.FromSeconds(2) });
        await AssertRefusedAsync(ErrorCodes.BadUserInput, "fromSeconds", viewer.Id, Past(recording, from: -1));

        // The source: an unknown channel, a video of another channel, a range past what is recorded (12 s: the last start is 7 s).
        await AssertRefusedAsync(ErrorCodes.NotFound, "channelId", viewer.Id, Live(recording) with { ChannelId = Guid.NewGuid() });
        var other = await RecordingAsync([]);
        await AssertRefusedAsync(ErrorCodes.NotFound, "videoId", viewer.Id, Past(recording, from: 0) with { ChannelId = other.ChannelId });
        await AssertRefusedAsync(ErrorCodes.NotFound, "videoId", viewer.Id, Past(recording, from: 0) with { VideoId = Guid.NewGuid() });
        await AssertRefusedAsync(ErrorCodes.BadUserInput, "fromSeconds", viewer.Id, Past(recording, from: 7.5));

        // Not live, or live with nothing recorded yet: a conflict, with when to try again for the latter.
        var offline = await fixture.RegisterAsync();
        await AssertRefusedAsync(ErrorCodes.Conflict, null, viewer.Id, new ClipRequest(offline.Id, null, null, null, "Nothing"));
        var early = await AssertRefusedAsync(ErrorCodes.Conflict, null, viewer.Id, Live(other));
        Assert.NotNull(early.RetryAt);

        // A viewer banned from the channel cannot clip it.
        var banned = await fixture.RegisterAsync();
        await fixture.GrainFactory.GetGrain<IChatRoomGrain>(recording.ChannelId).BanAsync(recording.ChannelId, banned.Id, "spam");
        await AssertRefusedAsync(ErrorCodes.Forbidden, null, banned.Id, Live(recording));

        // Nothing above left a clip behind.
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM clips WHERE channel_id = @id", recording.ChannelId));
    }

    [Fact]
    public async Task The_rate_limit_counts_every_well_formed_request_per_account()
    {
        var viewer = await fixture.RegisterAsync();
        var rule = SiloServices.GetRequiredService<IOptions<ClipOptions>>().Value.CreatePerAccount;
        var request = new ClipRequest(Guid.NewGuid(), null, null, null, "Where is it");
        for (var i = 0; i < rule.Limit; i++)
        {
            await AssertRefusedAsync(ErrorCodes.NotFound, "channelId", viewer.Id, request);
        }

        var limited = await AssertRefusedAsync(ErrorCodes.RateLimited, null, viewer.Id, request);
        Assert.InRange(limited.RetryAt!.Value, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow + rule.Window);

        // Someone else is not limited by it.
        await AssertRefusedAsync(ErrorCodes.NotFound, "channelId", (await fixture.RegisterAsync()).Id, request);
    }

    [Fact]
    public async Task A_live_clip_is_the_last_seconds_recorded_and_a_clip_of_the_completed_video_starts_where_asked()
    {
        var recording = await RecordingAsync(await ClipMedia.SegmentsAsync(6));
        var viewer = await fixture.RegisterAsync();

        // Live: 24 s recorded, the last 10 s of it, ending where the last uploaded segment ends.
        var live = await Clip().CreateAsync(viewer.Id, Live(recording, seconds: 10) with { Title = "  What a \u202Eplay\n " });
        Assert.Equal(ClipStatus.Ready, live.Status);
        Assert.Equal("What a play", live.Title);
        Assert.True(live.FromLive);
        Assert.Equal(recording.VideoId, live.VideoId);
        Assert.Equal(recording.ChannelId, live.ChannelId);
        Assert.Equal(viewer.Id, live.CreatorId);
        Assert.Equal(TimeSpan.FromSeconds(14), live.Offset);
        Assert.Equal(Media.PublicUrl(ClipKeys.Video(live.Id)), live.VideoUrl);
        Assert.Equal(Media.PublicUrl(ClipKeys.Thumbnail(live.Id)), live.ThumbnailUrl);
        await AssertPlayableAsync(live, 10);
        Assert.Equal(live, await fixture.GrainFactory.GetGrain<IClipGrain>(live.Id).GetAsync());

        // The broadcast ends; the video's clip starts at 2 s for 20 s, and its default length is 30 s (cut at the video's end).
        await recording.Broadcaster.PublishDoneAsync(recording.Connection);
        Assert.NotNull(await fixture.GrainFactory.GetGrain<IVideoGrain>(recording.VideoId).CompleteAsync(new RecordingEnd(null)));
        var past = await Clip().CreateAsync(viewer.Id, Past(recording, from: 2, seconds: 20));
        Assert.Equal(ClipStatus.Ready, past.Status);
        Assert.False(past.FromLive);
        Assert.Equal(TimeSpan.FromSeconds(2), past.Offset);
        await AssertPlayableAsync(past, 20);
        var rest = await Clip().CreateAsync(viewer.Id, Past(recording, from: 10) with { Length = null });
        Assert.Equal(ClipStatus.Ready, rest.Status);
        await AssertPlayableAsync(rest, 14);

        // A live clip of a channel no longer live is refused; the channel lists its clips newest first.
        await AssertRefusedAsync(ErrorCodes.Conflict, null, viewer.Id, Live(recording));
        var listed = await fixture.GrainFactory.GetGrain<IClipDirectoryGrain>(0).ChannelClipsAsync(recording.ChannelId, ClipOrder.Newest, 2, null);
        Assert.Equal([rest.Id, past.Id], listed.Edges.Select(e => e.Node.Id));
        Assert.True(listed.HasNextPage);
        var next = await fixture.GrainFactory.GetGrain<IClipDirectoryGrain>(0).ChannelClipsAsync(recording.ChannelId, ClipOrder.Newest, 2, listed.Edges[^1].Cursor);
        Assert.Equal([live.Id], next.Edges.Select(e => e.Node.Id));
        await Assert.ThrowsAsync<WgException>(() => fixture.GrainFactory.GetGrain<IClipDirectoryGrain>(0).ChannelClipsAsync(recording.ChannelId, ClipOrder.MostViewed, 2, listed.Edges[^1].Cursor));

        // The video goes (its owner deletes it): the clips are copies and stay, playable, after a reactivation too.
        await fixture.GrainFactory.GetGrain<IVideoGrain>(recording.VideoId).DeleteAsync(recording.ChannelId);
        await fixture.DeactivateOneAsync(fixture.GrainFactory.GetGrain<IClipGrain>(live.Id));
        Assert.Equal(live, await fixture.GrainFactory.GetGrain<IClipGrain>(live.Id).GetAsync());
        Assert.True(File.Exists(LocalPath(ClipKeys.Video(live.Id))));

        // A clip id is used once.
        Assert.Equal(ErrorCodes.Conflict, (await Assert.ThrowsAsync<WgException>(() => fixture.GrainFactory.GetGrain<IClipGrain>(live.Id).CreateAsync(viewer.Id, Live(recording)))).Code);
    }

    [Fact]
    public async Task The_creator_the_broadcaster_and_moderators_delete_a_clip_with_its_files_and_nobody_else_does()
    {
        var recording = await RecordingAsync(await ClipMedia.SegmentsAsync(2));
        var creator = await fixture.RegisterAsync();
        var moderator = await fixture.RegisterAsync();
        var stranger = await fixture.RegisterAsync();
        await fixture.GrainFactory.GetGrain<IChatRoomGrain>(recording.ChannelId).AddModeratorAsync(recording.ChannelId, moderator.Id);

        var clips = new List<ClipInfo>();
        for (var i = 0; i < 3; i++)
        {
            var made = await Clip().CreateAsync(creator.Id, Live(recording, seconds: 5));
            Assert.Equal(ClipStatus.Ready, made.Status);
            clips.Add(made);
        }

        foreach (var (clip, actor) in clips.Zip([creator.Id, recording.ChannelId, moderator.Id]))
        {
            var grain = fixture.GrainFactory.GetGrain<IClipGrain>(clip.Id);
            Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<WgException>(() => grain.DeleteAsync(stranger.Id))).Code);
            Assert.True(File.Exists(LocalPath(ClipKeys.Video(clip.Id))));
            await grain.DeleteAsync(actor);
            Assert.Null(await grain.GetAsync());
            Assert.False(Directory.Exists(LocalPath(ClipKeys.Prefix(clip.Id))));
            Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<WgException>(() => grain.DeleteAsync(actor))).Code);
        }

        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM clips WHERE channel_id = @id", recording.ChannelId));
    }

    [Fact]
    public async Task A_failed_remux_leaves_a_failed_clip_with_its_reason_and_no_files()
    {
        // Segments that are not media (a broken upload): ffmpeg cannot cut them.
        var broken = await RecordingAsync([new byte[4096], new byte[4096]]);
        var viewer = await fixture.RegisterAsync();
        var failed = await Clip().CreateAsync(viewer.Id, Live(broken, seconds: 5));
        Assert.Equal(ClipStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.FailureReason));
        Assert.Null(failed.VideoUrl);
        Assert.Null(failed.ThumbnailUrl);
        Assert.False(Directory.Exists(LocalPath(ClipKeys.Prefix(failed.Id))));
        await fixture.DeactivateOneAsync(fixture.GrainFactory.GetGrain<IClipGrain>(failed.Id));
        Assert.Equal(failed, await fixture.GrainFactory.GetGrain<IClipGrain>(failed.Id).GetAsync());
        Assert.Empty((await fixture.GrainFactory.GetGrain<IClipDirectoryGrain>(0).ChannelClipsAsync(broken.ChannelId, ClipOrder.Newest, 10, null)).Edges);

        // A segment gone from the store (the video was deleted meanwhile): failed, saying so.
        var real = await RecordingAsync(await ClipMedia.SegmentsAsync(2));
        await Media.DeleteAsync(VideoKeys.Segment(real.VideoId, 1));
        var gone = await Clip().CreateAsync(viewer.Id, Live(real, seconds: 5));
        Assert.Equal(ClipStatus.Failed, gone.Status);
        Assert.Contains("gone", gone.FailureReason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(LocalPath(ClipKeys.Prefix(gone.Id))));

        // The sweep removes failed clips once Clips:KeepFailedFor has passed.
        var options = SiloServices.GetRequiredService<IOptions<ClipOptions>>().Value;
        await fixture.ExecuteAsync($"UPDATE clips SET created_at = now() - interval '{(int)options.KeepFailedFor.TotalSeconds + 60} seconds' WHERE clip_id = @id", failed.Id);
        var (removed, _) = await SiloServices.GetRequiredService<ClipSweepService>().SweepAsync();
        Assert.True(removed >= 1);
        Assert.Null(await fixture.GrainFactory.GetGrain<IClipGrain>(failed.Id).GetAsync());
        Assert.NotNull(await fixture.GrainFactory.GetGrain<IClipGrain>(gone.Id).GetAsync());
    }

    [Fact]
    public async Task Views_count_once_per_viewer_order_the_channel_clips_and_the_channel_s_clips_go_with_its_account()
    {
        var recording = await RecordingAsync(await ClipMedia.SegmentsAsync(2));
        var viewer = await fixture.RegisterAsync();
        var first = await Clip().CreateAsync(viewer.Id, Live(recording, seconds: 5));
        var second = await Clip().CreateAsync(viewer.Id, Live(recording, seconds: 6));
        var grain = fixture.GrainFactory.GetGrain<IClipGrain>(first.Id);
        foreach (var key in new[] { "u:1", "u:2", "u:1", "a:192.0.2.1", "u:2" })
        {
            await grain.RecordViewAsync(key);
        }

        Assert.Equal(3, (await grain.GetAsync())!.ViewCount);

        // Written when the grain goes (or every Clips:ViewFlushInterval): the most viewed come first.
        await fixture.DeactivateOneAsync(grain);
        Assert.Equal(3, (await grain.GetAsync())!.ViewCount);
        var top = await fixture.GrainFactory.GetGrain<IClipDirectoryGrain>(0).ChannelClipsAsync(recording.ChannelId, ClipOrder.MostViewed, 10, null);
        Assert.Equal([first.Id, second.Id], top.Edges.Select(e => e.Node.Id));

        // The deletion of the channel's account removes its clips with their files.
        Assert.Equal(2, await fixture.GrainFactory.GetGrain<IClipDirectoryGrain>(0).RemoveChannelClipsAsync(recording.ChannelId));
        Assert.Null(await grain.GetAsync());
        Assert.False(Directory.Exists(LocalPath(ClipKeys.Prefix(second.Id))));
    }

    [Fact]
    public async Task A_clip_remembers_its_viewers_up_to_the_shipped_limit_and_forgets_the_oldest_first()
    {
        var recording = await RecordingAsync(await ClipMedia.SegmentsAsync(2));
        var creator = await fixture.RegisterAsync();
        var grain = fixture.GrainFactory.GetGrain<IClipGrain>((await Clip().CreateAsync(creator.Id, Live(recording))).Id);
        var limit = SiloServices.GetRequiredService<IOptions<ClipOptions>>().Value.MaxRememberedViewers;
        Assert.Equal(new ClipOptions().MaxRememberedViewers, limit);

        // One viewer more than it remembers: the first one, u:0, is forgotten to make room.
        for (var i = 0; i <= limit; i++)
        {
            await grain.RecordViewAsync($"u:{i}");
        }

        Assert.Equal(limit + 1, (await grain.GetAsync())!.ViewCount);

        // The newest and an old one still remembered count no more.
        await grain.RecordViewAsync($"u:{limit}");
        await grain.RecordViewAsync("u:1");
        Assert.Equal(limit + 1, (await grain.GetAsync())!.ViewCount);

        // The forgotten one counts again, and takes the place of the next oldest, which then does too.
        await grain.RecordViewAsync("u:0");
        Assert.Equal(limit + 2, (await grain.GetAsync())!.ViewCount);
        await grain.RecordViewAsync("u:1");
        Assert.Equal(limit + 3, (await grain.GetAsync())!.ViewCount);
        await grain.RecordViewAsync("u:3");
        Assert.Equal(limit + 3, (await grain.GetAsync())!.ViewCount);
    }

    private IClipGrain Clip() => fixture.GrainFactory.GetGrain<IClipGrain>(Guid.NewGuid());

    private static ClipRequest Live(Recording recording, int seconds = 5) =>
        new(recording.ChannelId, null, null, TimeSpan.FromSeconds(seconds), "Clutch");

    private static ClipRequest Past(Recording recording, double from, int seconds = 5) =>
        new(recording.ChannelId, recording.VideoId, TimeSpan.FromSeconds(from), TimeSpan.FromSeconds(seconds), "Replay");

    private async Task<WgException> AssertRefusedAsync(string code, string? field, Guid creatorId, ClipRequest request)
    {
        var refusal = await Assert.ThrowsAsync<WgException>(() => Clip().CreateAsync(creatorId, request));
        Assert.True(refusal.Code == code && refusal.Field == field, $"Expected {code} ({field}), got {refusal.Code} ({refusal.Field}): {refusal.Message}");
        return refusal;
    }

    /// <summary>The clip's MP4 as stored: H.264 and AAC, index first, as long as asked (to a frame), and its 640×360 WebP thumbnail.</summary>
    private async Task AssertPlayableAsync(ClipInfo clip, double seconds)
    {
        var path = LocalPath(ClipKeys.Video(clip.Id));
        var probed = await ClipMedia.ProbeAsync(path);
        Assert.Contains("mp4", probed.FormatName, StringComparison.Ordinal);
        Assert.Equal(("h264", "aac"), (probed.VideoCodec, probed.AudioCodec));
        Assert.InRange(probed.Duration, seconds - 0.1, seconds + 0.2);
        Assert.InRange(clip.Duration.TotalSeconds, seconds - 0.1, seconds + 0.2);
        Assert.True(ClipMedia.IsFastStart(await File.ReadAllBytesAsync(path)));
        using var codec = SkiaSharp.SKCodec.Create(LocalPath(ClipKeys.Thumbnail(clip.Id)));
        Assert.Equal((SkiaSharp.SKEncodedImageFormat.Webp, 640, 360), (codec.EncodedFormat, codec.Info.Width, codec.Info.Height));
    }

    private string LocalPath(string key) =>
        Path.Combine(Path.GetFullPath(SiloServices.GetRequiredService<IOptions<MediaOptions>>().Value.LocalDirectory), key);

    /// <summary>A new channel live (a LiveKit ingress: no media server needed) whose recording holds <paramref name="segments"/>, 4 s each, uploaded as the recorder does.</summary>
    private async Task<Recording> RecordingAsync(IReadOnlyList<byte[]> segments)
    {
        var user = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(user.Id);
        var connection = new IngestConnection(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");
        var published = await broadcaster.PublishAsync(connection, null);
        Assert.Equal(PublishOutcome.Accepted, published.Outcome);
        var videoId = published.StreamId!.Value;
        var video = fixture.GrainFactory.GetGrain<IVideoGrain>(videoId);
        Assert.NotNull(await video.StartRecordingAsync());
        for (var i = 0; i < segments.Count; i++)
        {
            await Media.PutAsync(VideoKeys.Segment(videoId, i), segments[i], "video/mp2t");
            await video.AddSegmentAsync(new RecordedSegment(i, TimeSpan.FromSeconds(4), Start.AddSeconds(4 * i), false, segments[i].Length));
        }

        return new Recording(user.Id, videoId, broadcaster, connection);
    }

    private sealed record Recording(Guid ChannelId, Guid VideoId, IBroadcasterGrain Broadcaster, IngestConnection Connection);
}
