using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace WgStream.Api.Streams.Transcoding;

/// <summary><c>ffprobe</c> on the relayed RTMP stream, with a time limit.</summary>
public static class SourceProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(8);

    /// <summary>
    /// The relay starts a moment after its on_publish: tries three times, half a second apart, then
    /// gives up (null), and the caller goes on without knowing the source.
    /// </summary>
    public static async Task<SourceInfo?> ProbeRelayAsync(string ffprobe, string url, TimeProvider clock, CancellationToken cancellation)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await ProbeAsync(ffprobe, url, Timeout, cancellation) is { } source)
            {
                return source;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, cancellation);
        }

        return null;
    }

    public static async Task<SourceInfo?> ProbeAsync(string ffprobe, string url, TimeSpan timeout, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(ffprobe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-v", "error", "-show_entries", "stream=codec_type,codec_name,profile,level,has_b_frames,width,height,avg_frame_rate,r_frame_rate", "-of", "json", url })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{ffprobe} did not start");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(limit.Token);
            _ = process.StandardError.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode == 0 ? Parse(await output) : null;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellation.ThrowIfCancellationRequested();
            return null;
        }
    }

    /// <summary>ffprobe's JSON; null when there is no video stream.</summary>
    public static SourceInfo? Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("streams", out var streams))
        {
            return null;
        }

        SourceInfo? video = null;
        var hasAudio = false;
        foreach (var stream in streams.EnumerateArray())
        {
            var type = stream.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
            if (type == "audio")
            {
                hasAudio = true;
            }
            else if (type == "video" && video is null)
            {
                video = new SourceInfo(
                    stream.TryGetProperty("codec_name", out var codec) ? codec.GetString() ?? "" : "",
                    stream.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
                    stream.TryGetProperty("height", out var h) ? h.GetInt32() : 0,
                    Rate(stream, "avg_frame_rate") is > 0 and var avg ? avg : Rate(stream, "r_frame_rate"),
                    false,
                    stream.TryGetProperty("profile", out var profile) ? profile.GetString() : null,
                    stream.TryGetProperty("level", out var level) && level.ValueKind == JsonValueKind.Number ? level.GetInt32() : 0,
                    stream.TryGetProperty("has_b_frames", out var b) && b.ValueKind == JsonValueKind.Number && b.GetInt32() > 0);
            }
        }

        return video is null ? null : video with { HasAudio = hasAudio };
    }

    private static double Rate(JsonElement stream, string name)
    {
        if (!stream.TryGetProperty(name, out var value) || value.GetString() is not { } text)
        {
            return 0;
        }

        var parts = text.Split('/');
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            && d > 0 ? n / d : 0;
    }
}
