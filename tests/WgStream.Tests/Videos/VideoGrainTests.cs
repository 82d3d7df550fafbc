using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.GrainInterfaces.Videos;
using WgStream.Gateways.Media;
using WgStream.Grains.Videos;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Videos;

/// <summary>The video grain's rules, with the real silo composition, PostgreSQL and the local media store.</summary>
[Collection(ClusterCollection.Name)]
[Trait(TestKind.Name, TestKind.Integration)]
public sealed class VideoGrainTests(ClusterFixture fixture)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);

    private IServiceProvider SiloServices => ((InProcessSiloHandle)fixture.Cluster.Primary!).SiloHost.Services;

    private IMediaStore Media => SiloServices.GetRequiredService<IMediaStore>();

    [Fact]
    public async Task Segments_are_added_once_each_in_order_and_completing_writes_the_vod_playlist_once()
    {
        var (broadcaster, connection, streamId) = await LiveAsync();
        var video = fixture.GrainFactory.GetGrain<IVideoGrain>(streamId);

        Assert.Equal(new RecordingStarted(streamId, 0), await video.StartRecordingAsync());
        Assert.Null(await video.GetAsync() is { Status: VideoStatus.Ready } ? "listed" : null);
        await AddAsync(video, 0, Start);
        await AddAsync(video, 1, Start.AddSeconds(4));
        await AddAsync(video, 1, Start.AddSeconds(4)); // a retried call
        await AddAsync(video, 0, Start); // a late retry of an older one
        // A recorder that restarted (another node) resumes after the last segment.
        await fixture.DeactivateOneAsync(video);
        Assert.Equal(new RecordingStarted(streamId, 2), await video.StartRecordingAsync());
        await AddAsync(video, 2, Start.AddSeconds(30), discontinuity: true);
        await Assert.ThrowsAsync<WgException>(() => video.AddSegmentAsync(new RecordedSegment(3, TimeSpan.FromHours(1), null, false, 1)));

        await broadcaster.UpdateAsync(new StreamUpdate("Final title", null));
        await broadcaster.PublishDoneAsync(connection);
        var ready = await video.CompleteAsync(new RecordingEnd(null));

        Assert.NotNull(ready);
        Assert.Equal(VideoStatus.Ready, ready.Status);
        Assert.Equal("Final title", ready.Title);
        Assert.Equal(Start, ready.StartedAt); // the first frame's wall clock
        Assert.Equal(TimeSpan.FromSeconds(12), ready.Duration);
        Assert.Equal(Media.PublicUrl(VideoKeys.Playlist(streamId)), ready.PlaylistUrl);
        Assert.Null(ready.ThumbnailUrl);
        var playlist = await File.ReadAllTextAsync(LocalPath(VideoKeys.Playlist(streamId)));
        Assert.Equal(["00000.ts", "00001.ts", "00002.ts"], playlist.Split('\n').Where(l => l.EndsWith(".ts", StringComparison.Ordinal)));
        Assert.Contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME:2026-12-04T01:00:30.000Z\n", playlist, StringComparison.Ordinal);

        // Completing again (a retried call, the sweep) changes nothing; a recorder cannot reopen it.
        Assert.Equal(ready, await video.CompleteAsync(new RecordingEnd(null)));
        Assert.Null(await video.StartRecordingAsync());
        await AddAsync(video, 3, Start.AddSeconds(60));
        await fixture.DeactivateOneAsync(video);
        Assert.Equal(ready, await video.GetAsync());
        Assert.Equal(streamId, Assert.Single((await fixture.GrainFactory.GetGrain<IVideoDirectoryGrain>(0).ChannelVideosAsync(broadcaster.GetPrimaryKey(), 10, null)).Edges).Node.Id);
    }

    [Fact]
    public async Task Only_the_owner_deletes_a_ready_video_and_its_files_go_with_it()
    {
        var (broadcaster, connection, streamId) = await LiveAsync();
        var video = fixture.GrainFactory.GetGrain<IVideoGrain>(streamId);
        await video.StartRecordingAsync();
        await AddAsync(video, 0, Start);

        Assert.Equal(ErrorCodes.Conflict, (await Assert.ThrowsAsync<WgException>(() => video.DeleteAsync(broadcaster.GetPrimaryKey()))).Code);
        await broadcaster.PublishDoneAsync(connection);
        await video.CompleteAsync(new RecordingEnd(null));
        Assert.Equal(ErrorCodes.Forbidden, (await Assert.ThrowsAsync<WgException>(() => video.DeleteAsync(Guid.NewGuid()))).Code);
        Assert.True(File.Exists(LocalPath(VideoKeys.Segment(streamId, 0))));

        await video.DeleteAsync(broadcaster.GetPrimaryKey());

        Assert.Null(await video.GetAsync());
        Assert.False(Directory.Exists(LocalPath(VideoKeys.Prefix(streamId))));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM video_segments WHERE video_id = @id", streamId));
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<WgException>(() => video.DeleteAsync(broadcaster.GetPrimaryKey()))).Code);
    }

    [Fact]
    public async Task Nothing_is_recorded_when_the_channel_switched_it_off_the_broadcast_is_not_live_or_nothing_came()
    {
        var (broadcaster, connection, streamId) = await LiveAsync(record: false);
        Assert.Null(await fixture.GrainFactory.GetGrain<IVideoGrain>(streamId).StartRecordingAsync());
        await broadcaster.PublishDoneAsync(connection);
        Assert.Null(await fixture.GrainFactory.GetGrain<IVideoGrain>(Guid.NewGuid()).StartRecordingAsync());

        // Recording on again; a broadcast that ends before its first segment leaves no video.
        await broadcaster.UpdateAsync(new StreamUpdate(null, null, RecordBroadcasts: true));
        Assert.True((await broadcaster.GetSettingsAsync()).RecordBroadcasts);
        var again = (await broadcaster.PublishAsync(connection with { Id = $"ingress-{Guid.NewGuid():N}" }, null)).StreamId!.Value;
        var empty = fixture.GrainFactory.GetGrain<IVideoGrain>(again);
        Assert.NotNull(await empty.StartRecordingAsync());
        Assert.Null(await empty.CompleteAsync(new RecordingEnd(null)));
        Assert.Equal(0, await fixture.CountAsync("SELECT count(*) FROM videos WHERE video_id = @id", again));
    }

    [Fact]
    public async Task The_sweep_completes_a_recording_whose_recorder_went_away_and_expires_videos_past_retention()
    {
        var (broadcaster, connection, streamId) = await LiveAsync();
        var video = fixture.GrainFactory.GetGrain<IVideoGrain>(streamId);
        await video.StartRecordingAsync();
        await AddAsync(video, 0, Start);
        await broadcaster.PublishDoneAsync(connection);
        var sweep = SiloServices.GetRequiredService<VideoSweepService>();
        var options = SiloServices.GetRequiredService<IOptions<VideoOptions>>().Value;

        // Just ended: its recorder may still be uploading the last segment.
        await sweep.SweepAsync();
        Assert.Equal(VideoStatus.Recording, (await video.GetAsync())!.Status);

        // Ended longer ago than Videos:AbandonedAfter with the recording still open: nobody will complete it but the sweep.
        await fixture.ExecuteAsync($"UPDATE streams SET ended_at = now() - interval '{(int)options.AbandonedAfter.TotalSeconds + 5} seconds' WHERE stream_id = @id", streamId);
        await sweep.SweepAsync();
        Assert.Equal(VideoStatus.Ready, (await video.GetAsync())!.Status);

        // Started more than Videos:RetentionDays ago: removed with its files.
        await fixture.ExecuteAsync($"UPDATE videos SET started_at = now() - interval '{options.RetentionDays + 1} days' WHERE video_id = @id", streamId);
        var (expired, _) = await sweep.SweepAsync();
        Assert.True(expired >= 1);
        Assert.Null(await video.GetAsync());
        Assert.False(Directory.Exists(LocalPath(VideoKeys.Prefix(streamId))));
    }

    private async Task AddAsync(IVideoGrain video, int sequence, DateTimeOffset at, bool discontinuity = false)
    {
        // As the recorder does: the file first, then the segment.
        await Media.PutAsync(VideoKeys.Segment(video.GetPrimaryKey(), sequence), new byte[] { 0x47, (byte)sequence }, "video/mp2t");
        await video.AddSegmentAsync(new RecordedSegment(sequence, TimeSpan.FromSeconds(4), at, discontinuity, 2));
    }

    private string LocalPath(string key) =>
        Path.Combine(Path.GetFullPath(SiloServices.GetRequiredService<IOptions<MediaOptions>>().Value.LocalDirectory), key);

    private async Task<(IBroadcasterGrain Broadcaster, IngestConnection Connection, Guid StreamId)> LiveAsync(bool record = true)
    {
        var user = await fixture.RegisterAsync();
        var broadcaster = fixture.GrainFactory.GetGrain<IBroadcasterGrain>(user.Id);
        if (!record)
        {
            await broadcaster.UpdateAsync(new StreamUpdate(null, null, RecordBroadcasts: false));
        }

        var connection = new IngestConnection(IngestKind.LiveKit, $"ingress-{Guid.NewGuid():N}");
        var result = await broadcaster.PublishAsync(connection, null);
        Assert.Equal(PublishOutcome.Accepted, result.Outcome);
        return (broadcaster, connection, result.StreamId!.Value);
    }
}
