using System.Globalization;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Api.Streams.Transcoding;

/// <summary>
/// Turns the configured ladder and the probed source into one ffmpeg command line that writes every
/// rendition's live playlist and a master playlist (<c>index.m3u8</c>) into the channel's directory.
/// Pure: the tests check the arguments, and the end-to-end tests check what ffmpeg makes of them.
/// </summary>
public static class HlsLadder
{
    public const string MasterPlaylist = "index.m3u8";
    public const string RenditionPlaylist = "live.m3u8";

    /// <summary>
    /// The rungs this broadcast gets: every passthrough rung, and the encoded rungs shorter than the
    /// source (all of them when the source is unknown). In passthrough-only mode (the fallback) just
    /// the source. Never empty.
    /// </summary>
    public static IReadOnlyList<RenditionOptions> Plan(IReadOnlyList<RenditionOptions> ladder, SourceInfo? source, bool passthroughOnly)
    {
        var passthrough = ladder.Where(r => r.IsPassthrough).Take(1).ToList();
        if (passthrough.Count == 0)
        {
            passthrough.Add(RenditionOptions.Defaults[0]);
        }

        if (passthroughOnly)
        {
            return passthrough;
        }

        var encoded = ladder
            .Where(r => !r.IsPassthrough && (source is null || source.Height == 0 || r.Height < source.Height))
            .OrderByDescending(r => r.Height);
        // A ladder configured without a passthrough rung encodes every rung.
        return ladder.Any(r => r.IsPassthrough) ? [.. passthrough, .. encoded] : [.. encoded.DefaultIfEmpty(passthrough[0])];
    }

    public static IReadOnlyList<string> Arguments(StreamOptions options, string sourceUrl, string directory, IReadOnlyList<RenditionOptions> rungs, SourceInfo? source)
    {
        var args = new List<string>
        {
            "-hide_banner", "-loglevel", "warning", "-nostats",
            // key=value blocks on stdout every second: TranscodeWorker reads the encoding speed from them.
            "-progress", "pipe:1", "-stats_period", "1",
        };
        if (options.VideoEncoder == "h264_vaapi" && options.VaapiDevice is { } device)
        {
            args.AddRange(["-vaapi_device", device]);
        }

        args.AddRange(["-i", sourceUrl]);

        var encoded = rungs.Where(r => !r.IsPassthrough).ToList();
        if (encoded.Count > 0)
        {
            var split = encoded.Count == 1 ? "[0:v:0]null[e0]" : $"[0:v:0]split={encoded.Count}{string.Concat(encoded.Select((_, i) => $"[e{i}]"))}";
            var chains = encoded.Select((r, i) => $"[e{i}]{Filters(r, source, options)}[v{i}]");
            args.AddRange(["-filter_complex", string.Join(';', [split, .. chains])]);
        }

        var hasAudio = source?.HasAudio ?? true;
        var map = new List<string>();
        var e = 0;
        for (var i = 0; i < rungs.Count; i++)
        {
            var rung = rungs[i];
            if (rung.IsPassthrough)
            {
                args.AddRange(["-map", "0:v:0", $"-c:v:{i}", "copy"]);
            }
            else
            {
                var kbps = rung.VideoBitrateKbps > 0 ? rung.VideoBitrateKbps : 1000;
                args.AddRange(["-map", $"[v{e++}]", $"-c:v:{i}", options.VideoEncoder,
                    $"-b:v:{i}", $"{kbps}k", $"-maxrate:v:{i}", $"{kbps * 11 / 10}k", $"-bufsize:v:{i}", $"{kbps * 2}k",
                    // Keyframes where the source has them: every rung cuts its segments at the same instants.
                    $"-force_key_frames:v:{i}", "source"]);
                if (options.VideoEncoder == "libx264")
                {
                    args.AddRange([$"-preset:v:{i}", "veryfast", $"-profile:v:{i}", "main"]);
                }
            }

            if (hasAudio)
            {
                args.AddRange(["-map", "0:a:0"]);
                args.AddRange(rung.IsPassthrough
                    ? [$"-c:a:{i}", "copy"]
                    : [$"-c:a:{i}", "aac", $"-b:a:{i}", $"{Math.Max(rung.AudioBitrateKbps, 32)}k", $"-ac:a:{i}", "2"]);
                map.Add($"v:{i},a:{i},name:{rung.Name}");
            }
            else
            {
                map.Add($"v:{i},name:{rung.Name}");
            }
        }

        var flags = "delete_segments+independent_segments+program_date_time+temp_file";
        args.AddRange([
            "-f", "hls",
            "-hls_time", Seconds(options.SegmentDuration),
            "-hls_list_size", Math.Max(options.PlaylistSegments, 3).ToString(CultureInfo.InvariantCulture),
            "-hls_delete_threshold", "2",
            "-hls_flags", flags,
            "-hls_segment_type", "mpegts",
            "-master_pl_name", MasterPlaylist,
            "-var_stream_map", string.Join(' ', map),
            "-hls_segment_filename", Path.Combine(directory, "%v", "%05d.ts"),
            Path.Combine(directory, "%v", RenditionPlaylist),
        ]);
        return args;
    }

    private static string Filters(RenditionOptions rung, SourceInfo? source, StreamOptions options)
    {
        var filters = new List<string>();
        if (rung.Fps > 0 && (source is null || source.Fps <= 0 || source.Fps > rung.Fps + 0.5))
        {
            filters.Add($"fps={rung.Fps}");
        }

        // -2 keeps the width even, as H.264 in 4:2:0 needs.
        filters.Add(options.VideoEncoder == "h264_vaapi"
            ? $"format=nv12,hwupload,scale_vaapi=w=-2:h={rung.Height}"
            : $"scale=-2:{rung.Height},format=yuv420p");
        return string.Join(',', filters);
    }

    private static string Seconds(TimeSpan duration) =>
        Math.Max(duration.TotalSeconds, 0.5).ToString("0.###", CultureInfo.InvariantCulture);
}
