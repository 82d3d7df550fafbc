using System.Diagnostics;
using System.Globalization;
using WgStream.Api.Streams.Transcoding;
using WgStream.GrainInterfaces.Streams;
using WgStream.GrainInterfaces.Videos;
using WgStream.Gateways.Media;

namespace WgStream.Api.Videos.Recording;

/// <summary>
/// Records one live broadcast as a past broadcast: an ffmpeg copies the relayed stream (no
/// re-encoding, so it costs almost no CPU) into MPEG-TS segments in a spool directory; each segment
/// ffmpeg finishes is uploaded to the media store and added to the broadcast's <see cref="IVideoGrain"/>,
/// then deleted locally. ffmpeg is started again (backing off) if it exits while the broadcast goes on,
/// the next segment marked as a discontinuity. When the broadcast has ended the last segments are
/// uploaded and the video completed, which writes its VOD playlist. A node that stops while the
/// broadcast goes on leaves the recording open: the node the broadcast moves to resumes it, or the
/// silo's sweep completes it once the broadcast has ended.
/// </summary>
public sealed partial class BroadcastRecorder(
    Guid channelId,
    string sourceUrl,
    StreamOptions streams,
    VideoOptions options,
    IClusterClient cluster,
    IMediaStore media,
    IFrameGrabber frames,
    TimeProvider clock,
    ILogger logger)
{
    /// <summary>A frame from this far in tells more about a broadcast than its first seconds (a "starting soon" screen).</summary>
    private static readonly TimeSpan ThumbnailAt = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan HealthyRun = TimeSpan.FromSeconds(30);

    private const int UploadAttempts = 3;

    public async Task RunAsync(CancellationToken stopping)
    {
        if (await BeginAsync(stopping) is not { } started)
        {
            return;
        }

        var video = cluster.GetGrain<IVideoGrain>(started.VideoId);
        var spool = Path.Combine(options.SpoolPath, started.VideoId.ToString("N"));
        var progress = new Progress(started.NextSequence);
        try
        {
            var failures = 0;
            for (var run = 0; ; run++)
            {
                var directory = Path.Combine(spool, $"run{run.ToString(CultureInfo.InvariantCulture)}");
                Directory.CreateDirectory(directory);
                var began = clock.GetTimestamp();
                var exitCode = await RecordAsync(video, directory, progress, stopping);
                if (stopping.IsCancellationRequested || !await StillLiveAsync(started.VideoId))
                {
                    break;
                }

                failures = clock.GetElapsedTime(began) >= HealthyRun ? 1 : failures + 1;
                progress.Discontinuity = true;
                LogExited(channelId, exitCode);
                try
                {
                    await Task.Delay(RestartBackoff.After(failures), clock, stopping);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, channelId);
        }
        finally
        {
            await FinishAsync(video, started.VideoId, progress);
            TryDelete(spool);
        }
    }

    /// <summary>The live broadcast's id, and whether it is recorded; retried while the cluster is briefly unreachable.</summary>
    private async Task<RecordingStarted?> BeginAsync(CancellationToken stopping)
    {
        for (var attempt = 1; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                if (await cluster.GetGrain<IBroadcasterGrain>(channelId).GetLiveAsync() is not { } live)
                {
                    return null;
                }

                var started = await cluster.GetGrain<IVideoGrain>(live.Id).StartRecordingAsync();
                if (started is null)
                {
                    LogNotRecorded(channelId, live.Id);
                }
                else
                {
                    LogStarted(channelId, started.VideoId, started.NextSequence);
                }

                return started;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < 5)
            {
                LogBeginFailed(e, channelId);
                await Task.Delay(RestartBackoff.After(attempt), clock, stopping);
            }
        }

        return null;
    }

    /// <summary>Runs one ffmpeg to its end, uploading each segment it finishes; returns its exit code.</summary>
    private async Task<int> RecordAsync(IVideoGrain video, string directory, Progress progress, CancellationToken stopping)
    {
        var playlist = Path.Combine(directory, "rec.m3u8");
        using var process = FfmpegProcess.Start(streams.FfmpegPath, Arguments(sourceUrl, directory, playlist, options.SegmentDuration), line => LogFfmpeg(channelId, line));
        var uploaded = 0;
        try
        {
            using var stop = stopping.Register(() => _ = FfmpegStop.GracefullyAsync(process, GracefulStop));
            var exited = process.WaitForExitAsync(CancellationToken.None);
            while (!exited.IsCompleted)
            {
                await Task.WhenAny(exited, Task.Delay(Poll, clock, CancellationToken.None));
                uploaded = await UploadNewAsync(video, directory, playlist, uploaded, progress);
            }

            // ffmpeg wrote its last segment when it ended ('q', or the relay closing).
            await UploadNewAsync(video, directory, playlist, uploaded, progress);
            return process.ExitCode;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public static IReadOnlyList<string> Arguments(string source, string directory, string playlist, TimeSpan segment) =>
    [
        "-hide_banner", "-loglevel", "error", "-nostats", "-i", source,
        "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy",
        "-f", "hls", "-hls_time", segment.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        "-hls_list_size", "0", "-hls_playlist_type", "event", "-hls_segment_type", "mpegts",
        "-hls_flags", "independent_segments+program_date_time+temp_file",
        "-hls_segment_filename", Path.Combine(directory, "%05d.ts"), playlist,
    ];

    private async Task<int> UploadNewAsync(IVideoGrain video, string directory, string playlist, int uploaded, Progress progress)
    {
        IReadOnlyList<FinishedSegment> finished;
        try
        {
            finished = RecorderPlaylist.Parse(await File.ReadAllTextAsync(playlist));
        }
        catch (FileNotFoundException)
        {
            return uploaded; // no segment finished yet
        }

        for (; uploaded < finished.Count; uploaded++)
        {
            var path = Path.Combine(directory, finished[uploaded].File);
            await UploadAsync(video, path, finished[uploaded], progress);
            TryDeleteFile(path);
        }

        return uploaded;
    }

    private async Task UploadAsync(IVideoGrain video, string path, FinishedSegment segment, Progress progress)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path);
        }
        catch (IOException e)
        {
            LogSegmentLost(e, channelId, segment.File);
            progress.Discontinuity = true;
            return;
        }

        var offset = progress.Recorded;
        if (progress.Thumbnail is null || (!progress.ThumbnailFinal && offset >= ThumbnailAt))
        {
            // The first segment's frame, so a short broadcast has a picture too; replaced by one a minute in.
            if (await frames.GrabAsync(path, CancellationToken.None) is { } frame)
            {
                progress.Thumbnail = frame;
                progress.ThumbnailFinal = offset >= ThumbnailAt;
            }
        }

        var recorded = new RecordedSegment(progress.Next, segment.Duration, segment.ProgramDateTime, progress.Discontinuity, bytes.Length);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await media.PutAsync(VideoKeys.Segment(video.GetPrimaryKey(), recorded.Sequence), bytes, "video/mp2t");
                await video.AddSegmentAsync(recorded);
                progress.Next++;
                progress.Discontinuity = false;
                progress.Recorded += segment.Duration;
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < UploadAttempts)
            {
                LogUploadRetry(e, channelId, recorded.Sequence);
                await Task.Delay(TimeSpan.FromSeconds(attempt), clock);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The video goes on without these seconds; players skip the gap at the discontinuity.
                LogSegmentLost(e, channelId, segment.File);
                progress.Discontinuity = true;
                return;
            }
        }
    }

    /// <summary>Completes the video once its broadcast has ended; one still live (this node is stopping) stays open for the next recorder.</summary>
    private async Task FinishAsync(IVideoGrain video, Guid videoId, Progress progress)
    {
        if (await StillLiveAsync(videoId))
        {
            LogLeftOpen(channelId, videoId);
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var ready = await video.CompleteAsync(new RecordingEnd(progress.Thumbnail));
                LogCompleted(channelId, videoId, ready is not null);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException && attempt < UploadAttempts)
            {
                LogCompleteRetry(e, channelId);
                await Task.Delay(TimeSpan.FromSeconds(attempt), clock);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The silo's sweep completes it (Videos:AbandonedAfter).
                LogCompleteFailed(e, channelId, videoId);
                return;
            }
        }
    }

    /// <summary>Whether this broadcast (not just the channel) is still live; when the cluster cannot tell, it is taken as live.</summary>
    private async Task<bool> StillLiveAsync(Guid videoId)
    {
        try
        {
            return await cluster.GetGrain<IBroadcasterGrain>(channelId).GetLiveAsync() is { } live && live.Id == videoId;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogBeginFailed(e, channelId);
            return true;
        }
    }

    private void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(e, directory);
        }
    }

    private static void TryDeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The spool directory goes when the recording ends.
        }
    }

    /// <summary>Where the recording is: the next sequence number, whether a break comes before it, what is recorded and the thumbnail frame.</summary>
    private sealed class Progress(int next)
    {
        public int Next { get; set; } = next;

        /// <summary>Resuming a recording (another node, a restarted ffmpeg) starts with a break in timestamps.</summary>
        public bool Discontinuity { get; set; } = next > 0;

        public TimeSpan Recorded { get; set; }

        public byte[]? Thumbnail { get; set; }

        public bool ThumbnailFinal { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: recording video {VideoId} from segment {Next}")]
    private partial void LogStarted(Guid channelId, Guid videoId, int next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: broadcast {StreamId} is not recorded (switched off, or already completed)")]
    private partial void LogNotRecorded(Guid channelId, Guid streamId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: the recorder's ffmpeg exited with {ExitCode} during the broadcast; restarting")]
    private partial void LogExited(Guid channelId, int exitCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {ChannelId}: the recorder failed")]
    private partial void LogFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: the recorder could not reach the cluster")]
    private partial void LogBeginFailed(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: uploading segment {Sequence} failed; retrying")]
    private partial void LogUploadRetry(Exception exception, Guid channelId, int sequence);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {ChannelId}: recorded segment {File} is lost")]
    private partial void LogSegmentLost(Exception exception, Guid channelId, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: video {VideoId} completed (playable: {Ready})")]
    private partial void LogCompleted(Guid channelId, Guid videoId, bool ready);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId}: this node stops while broadcast {VideoId} goes on; its recording stays open")]
    private partial void LogLeftOpen(Guid channelId, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: completing the video failed; retrying")]
    private partial void LogCompleteRetry(Exception exception, Guid channelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {ChannelId}: video {VideoId} could not be completed; the sweep will")]
    private partial void LogCompleteFailed(Exception exception, Guid channelId, Guid videoId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Directory}")]
    private partial void LogCleanupFailed(Exception exception, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Channel {ChannelId} recorder: {Line}")]
    private partial void LogFfmpeg(Guid channelId, string line);
}
