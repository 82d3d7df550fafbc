using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;
using WgStream.Grains.Streams;
using WgStream.Grains.Videos;
using WgStream.GrainInterfaces.Videos;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Clips;

/// <summary>
/// Cuts a clip from a video's stored MPEG-TS segments: downloads the segments the range needs into a
/// work directory, remuxes them with ffmpeg (<c>-c copy</c>: no re-encoding, so it costs a fraction of
/// a second and no quality) into an MP4 with its index in front (<c>+faststart</c>, so it plays while
/// it downloads), probes its length, takes a thumbnail from the middle of the range with the stream
/// thumbnails' frame grabber and image pipeline (640×360 WebP), and uploads both under the clip's prefix.
/// </summary>
public sealed partial class ClipCutter(
    IMediaStore media,
    IFrameGrabber frames,
    ImageProcessor images,
    IOptions<ClipOptions> options,
    IOptions<StreamOptions> streams,
    ILogger<ClipCutter> logger)
{
    public async Task<CutClip> CutAsync(Guid clipId, ClipCut cut, CancellationToken cancellationToken)
    {
        if (cut.Segments.Count == 0 || cut.Media <= TimeSpan.Zero)
        {
            throw new ClipCutException("Nothing is recorded in that range.");
        }

        var directory = Path.Combine(options.Value.WorkPath, clipId.ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var files = new List<string>(cut.Segments.Count);
            foreach (var segment in cut.Segments)
            {
                var name = VideoKeys.SegmentName(segment.Segment.Sequence);
                await using (var file = new FileStream(Path.Combine(directory, name), FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    if (!await media.CopyToAsync(VideoKeys.Segment(cut.VideoId, segment.Segment.Sequence), file, cancellationToken))
                    {
                        throw new ClipCutException("Part of the recording is gone (the video was deleted or expired).");
                    }
                }

                files.Add(name);
            }

            var list = Path.Combine(directory, "segments.ffconcat");
            await File.WriteAllTextAsync(list, ConcatList(files), cancellationToken);
            var output = Path.Combine(directory, "clip.mp4");
            var remux = await ClipProcess.RunAsync(streams.Value.FfmpegPath, RemuxArguments(list, cut.SeekInFirst, cut.Media, output), cancellationToken);
            if (remux.ExitCode != 0 || !File.Exists(output))
            {
                LogRemuxFailed(clipId, remux.ExitCode, remux.Errors.Trim());
                throw new ClipCutException($"The recording could not be cut (ffmpeg exited with {remux.ExitCode}).");
            }

            var duration = await ProbeDurationAsync(output, cancellationToken);
            if (duration is not { } length || length <= TimeSpan.Zero)
            {
                throw new ClipCutException("The cut clip has no playable media.");
            }

            var bytes = new FileInfo(output).Length;
            if (bytes > options.Value.MaxBytes)
            {
                throw new ClipCutException($"The clip would be {bytes / (1024 * 1024)} MiB, more than the {options.Value.MaxBytes / (1024 * 1024)} MiB a clip may be.");
            }

            // The segment where the middle of the clip is: its first frame shows what the clip is about better than the first second does.
            var middle = cut.Offset + (length / 2);
            var index = cut.Segments.ToList().FindLastIndex(s => s.Offset <= middle);
            var thumbnail = await ThumbnailAsync(clipId, Path.Combine(directory, files[Math.Max(0, index)]), cancellationToken);

            await media.PutAsync(ClipKeys.Video(clipId), await File.ReadAllBytesAsync(output, cancellationToken), ClipKeys.VideoContentType, cancellationToken);
            if (thumbnail is not null)
            {
                await media.PutAsync(ClipKeys.Thumbnail(clipId), thumbnail.Content, thumbnail.ContentType, cancellationToken);
            }

            return new CutClip(cut.Offset, length, bytes, thumbnail is not null);
        }
        finally
        {
            TryDelete(directory);
        }
    }

    /// <summary>
    /// The remux: the segments joined by the concat demuxer (timestamps made continuous, a break in the
    /// recording included), the input seeked to the start and cut after <paramref name="length"/>. With
    /// stream copy a cut can only begin at a keyframe: ffmpeg keeps the frames from the keyframe before
    /// the start and an MP4 edit list hides them, so the clip shows exactly from the start asked for.
    /// </summary>
    public static IReadOnlyList<string> RemuxArguments(string list, TimeSpan seek, TimeSpan length, string output) =>
    [
        "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
        "-ss", Seconds(seek), "-f", "concat", "-i", list,
        "-t", Seconds(length),
        "-map", "0:v:0", "-map", "0:a:0?", "-c", "copy",
        "-movflags", "+faststart", "-f", "mp4", output,
    ];

    /// <summary>The concat demuxer's list; the names are ours (<c>00012.ts</c>), which its safe mode accepts as they are.</summary>
    public static string ConcatList(IEnumerable<string> files)
    {
        var text = new StringBuilder("ffconcat version 1.0\n");
        foreach (var file in files)
        {
            text.Append("file ").Append(file).Append('\n');
        }

        return text.ToString();
    }

    private async Task<TimeSpan?> ProbeDurationAsync(string file, CancellationToken cancellationToken)
    {
        var probe = await ClipProcess.RunAsync(
            streams.Value.FfprobePath,
            ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file],
            cancellationToken);
        return probe.ExitCode == 0 && double.TryParse(probe.Output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private async Task<ProcessedImage?> ThumbnailAsync(Guid clipId, string segment, CancellationToken cancellationToken)
    {
        if (await frames.GrabAsync(segment, cancellationToken) is not { Length: > 0 } frame)
        {
            LogNoThumbnail(clipId, "no frame");
            return null;
        }

        try
        {
            return (await images.ProcessAsync(frame, ImageKind.Thumbnail, cancellationToken))[0];
        }
        catch (WgException e)
        {
            // A frame the pipeline refuses, or a node busy decoding: the clip plays without a picture.
            LogNoThumbnail(clipId, e.Message);
            return null;
        }
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(e, directory);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Clip {ClipId}: ffmpeg exited with {ExitCode}: {Errors}")]
    private partial void LogRemuxFailed(Guid clipId, int exitCode, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clip {ClipId}: no thumbnail ({Reason})")]
    private partial void LogNoThumbnail(Guid clipId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove {Directory}")]
    private partial void LogCleanupFailed(Exception exception, string directory);
}
