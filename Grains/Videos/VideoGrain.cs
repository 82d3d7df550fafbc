using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Streams;
using WgStream.GrainInterfaces.Videos;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Videos;

/// <summary>
/// One past broadcast. Its rows are its storage (loaded on activation, written on each change), and
/// its files are in the media store under <see cref="VideoKeys.Prefix"/>: the recorder uploads each
/// segment before adding it here, and completing writes the VOD playlist from the segments added.
/// Calls are one at a time, so a late segment and the completion never interleave.
/// </summary>
public sealed partial class VideoGrain(
    VideoStore store,
    IMediaStore media,
    ImageProcessor images,
    IOptions<VideoOptions> options,
    TimeProvider clock,
    ILogger<VideoGrain> logger) : Grain, IVideoGrain
{
    /// <summary>A segment longer than this is not one our recorder made.</summary>
    private static readonly TimeSpan LongestSegment = TimeSpan.FromMinutes(1);

    private StoredVideo? video;
    private List<RecordedSegment> segments = [];

    private Guid VideoId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        (video, segments) = await store.LoadAsync(VideoId);

    public async Task<RecordingStarted?> StartRecordingAsync()
    {
        if (video is { Status: VideoStatus.Ready })
        {
            return null;
        }

        var stream = await GrainFactory.GetGrain<IStreamGrain>(VideoId).GetAsync();
        if (stream is not { IsLive: true })
        {
            return null;
        }

        if (video is null)
        {
            if (!options.Value.Record || !await GrainFactory.GetGrain<IBroadcasterGrain>(stream.ChannelId).RecordsBroadcastsAsync())
            {
                return null;
            }

            var startedAt = Microseconds(clock.GetUtcNow());
            await store.InsertAsync(VideoId, stream.ChannelId, startedAt);
            video = new StoredVideo(VideoId, stream.ChannelId, VideoStatus.Recording, startedAt, null, TimeSpan.Zero, false, stream.Title, stream.CategorySlug);
            LogRecording(stream.ChannelId, VideoId);
        }

        return new RecordingStarted(VideoId, NextSequence);
    }

    public async Task AddSegmentAsync(RecordedSegment segment)
    {
        if (segment.Sequence < 0 || segment.Duration <= TimeSpan.Zero || segment.Duration > LongestSegment || segment.Bytes < 0)
        {
            throw WgException.BadInput("Not a recorded segment.", "segment");
        }

        // A retried call, or a segment that arrives after the recording was completed (its file goes with the video).
        if (video is not { Status: VideoStatus.Recording } || segment.Sequence < NextSequence)
        {
            return;
        }

        var first = segments.Count == 0;
        await store.AddSegmentAsync(VideoId, segment, first);
        segments.Add(segment);
        if (first && segment.ProgramDateTime is { } at)
        {
            video = video with { StartedAt = Microseconds(at) };
        }
    }

    public async Task<VideoInfo?> CompleteAsync(RecordingEnd end)
    {
        if (video is null)
        {
            return null;
        }

        if (video.Status == VideoStatus.Ready)
        {
            return video.ToInfo(media);
        }

        if (segments.Count == 0)
        {
            // Nothing was recorded (the encoder went away at once): there is nothing to watch.
            await RemoveAsync();
            return null;
        }

        await media.PutAsync(VideoKeys.Playlist(VideoId), System.Text.Encoding.UTF8.GetBytes(VideoPlaylist.Build(segments)), VideoPlaylist.ContentType);
        var hasThumbnail = end.ThumbnailFrame is { Length: > 0 } frame && await StoreThumbnailAsync(frame);

        // The broadcast's final title (it may have changed while live) and its end.
        var stream = await GrainFactory.GetGrain<IStreamGrain>(VideoId).GetAsync();
        var duration = TimeSpan.FromTicks(segments.Sum(s => s.Duration.Ticks));
        var endedAt = Microseconds(stream?.EndedAt ?? clock.GetUtcNow());
        await store.CompleteAsync(VideoId, endedAt, duration, segments.Sum(s => s.Bytes), hasThumbnail);
        video = video with
        {
            Status = VideoStatus.Ready,
            EndedAt = endedAt,
            Duration = duration,
            HasThumbnail = hasThumbnail,
            Title = stream?.Title ?? video.Title,
            CategorySlug = stream is null ? video.CategorySlug : stream.CategorySlug,
        };
        LogReady(video.ChannelId, VideoId, segments.Count, duration);
        return video.ToInfo(media);
    }

    public Task<VideoInfo?> GetAsync()
    {
        if (video is null)
        {
            // Anyone may ask for any id: a made-up one must not stay activated until idle collection.
            DeactivateOnIdle();
        }

        return Task.FromResult(video?.ToInfo(media));
    }

    public Task<RecordedRange?> GetRangeAsync(TimeSpan? from, TimeSpan length) =>
        Task.FromResult(video is null ? null : VideoTimeline.Range(video.ToInfo(media), segments, from, length));

    public async Task DeleteAsync(Guid actorId)
    {
        if (video is null)
        {
            throw WgException.NotFound("No such video.");
        }

        if (actorId != video.ChannelId)
        {
            throw WgException.Forbidden("Only the channel's owner can delete its videos.");
        }

        if (video.Status == VideoStatus.Recording)
        {
            throw WgException.Conflict("The broadcast is still being recorded; delete it when it has ended.");
        }

        await RemoveAsync();
        LogDeleted(VideoId);
    }

    public async Task ExpireAsync()
    {
        if (video is not null)
        {
            await RemoveAsync();
            LogExpired(VideoId);
        }
    }

    /// <summary>What PostgreSQL keeps of a time, so that the video in memory and the one loaded later are the same.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);

    private int NextSequence => segments.Count == 0 ? 0 : segments[^1].Sequence + 1;

    /// <summary>Files first: a failure leaves the row, so the owner or the sweep tries again, and no file is left behind unlisted.</summary>
    private async Task RemoveAsync()
    {
        await media.DeletePrefixAsync(VideoKeys.Prefix(VideoId));
        await store.DeleteAsync(VideoId);
        video = null;
        segments = [];
        DeactivateOnIdle();
    }

    private async Task<bool> StoreThumbnailAsync(byte[] frame)
    {
        try
        {
            var image = (await images.ProcessAsync(frame, ImageKind.Thumbnail))[0];
            await media.PutAsync(VideoKeys.Thumbnail(VideoId), image.Content, image.ContentType);
            return true;
        }
        catch (WgException e)
        {
            // A frame the image pipeline refuses (or a busy node) costs the video its picture, not its playback.
            LogNoThumbnail(VideoId, e.Message);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: recording broadcast {VideoId}")]
    private partial void LogRecording(Guid channelId, Guid videoId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: video {VideoId} is ready ({Segments} segments, {Duration})")]
    private partial void LogReady(Guid channelId, Guid videoId, int segments, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} deleted by its owner")]
    private partial void LogDeleted(Guid videoId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Video {VideoId} expired")]
    private partial void LogExpired(Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Video {VideoId}: no thumbnail ({Reason})")]
    private partial void LogNoThumbnail(Guid videoId, string reason);
}
