using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace WgStream.Tests.Clips;

/// <summary>What ffprobe says of a clip's MP4: its container, codecs and length.</summary>
public sealed record ProbedClip(string FormatName, string? VideoCodec, string? AudioCodec, double Duration, int Width, int Height);

/// <summary>Real media for the clip tests: recorded segments made by ffmpeg, and ffprobe to read what came out.</summary>
public static class ClipMedia
{
    /// <summary>
    /// <paramref name="count"/> MPEG-TS segments of 4 s (H.264 with a keyframe every second and AAC, as
    /// OBS sends and the recorder copies them), cut by ffmpeg's HLS muxer like the recorder's: their bytes in order.
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> SegmentsAsync(int count)
    {
        var directory = Directory.CreateTempSubdirectory("wg-clip-segments-");
        try
        {
            await RunAsync("ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-nostdin",
                "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", (count * 4).ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "30", "-b:v", "300k",
                "-c:a", "aac", "-b:a", "64k",
                "-f", "hls", "-hls_time", "4", "-hls_list_size", "0", "-hls_segment_type", "mpegts",
                "-hls_segment_filename", Path.Combine(directory.FullName, "%05d.ts"), Path.Combine(directory.FullName, "rec.m3u8"),
            ]);
            var segments = new List<byte[]>();
            for (var i = 0; i < count; i++)
            {
                segments.Add(await File.ReadAllBytesAsync(Path.Combine(directory.FullName, $"{i:D5}.ts")));
            }

            return segments;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public static async Task<ProbedClip> ProbeAsync(string file)
    {
        var json = await RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=format_name,duration:stream=codec_type,codec_name,width,height", "-of", "json", file]);
        using var document = JsonDocument.Parse(json);
        var streams = document.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "video");
        var audio = streams.FirstOrDefault(s => s.GetProperty("codec_type").GetString() == "audio");
        var format = document.RootElement.GetProperty("format");
        return new ProbedClip(
            format.GetProperty("format_name").GetString()!,
            video.ValueKind == JsonValueKind.Object ? video.GetProperty("codec_name").GetString() : null,
            audio.ValueKind == JsonValueKind.Object ? audio.GetProperty("codec_name").GetString() : null,
            double.Parse(format.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture),
            video.ValueKind == JsonValueKind.Object ? video.GetProperty("width").GetInt32() : 0,
            video.ValueKind == JsonValueKind.Object ? video.GetProperty("height").GetInt32() : 0);
    }

    /// <summary>Whether the MP4's index (moov) comes before its media (mdat), as +faststart puts it: a browser can start playing at once.</summary>
    public static bool IsFastStart(byte[] mp4)
    {
        var position = 0;
        while (position + 8 <= mp4.Length)
        {
            var size = (long)((uint)mp4[position] << 24 | (uint)mp4[position + 1] << 16 | (uint)mp4[position + 2] << 8 | mp4[position + 3]);
            var type = System.Text.Encoding.ASCII.GetString(mp4, position + 4, 4);
            if (type == "moov")
            {
                return true;
            }

            if (type == "mdat" || size < 8)
            {
                return false;
            }

            position += (int)size;
        }

        return false;
    }

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await errors}");
        return await output;
    }
}
