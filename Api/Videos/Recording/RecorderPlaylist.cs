using System.Globalization;

namespace WgStream.Api.Videos.Recording;

/// <summary>One segment ffmpeg finished: its file (relative to the playlist), length and wall-clock start.</summary>
public sealed record FinishedSegment(string File, TimeSpan Duration, DateTimeOffset? ProgramDateTime);

/// <summary>
/// Reads the event playlist the recorder's ffmpeg keeps (<c>-hls_playlist_type event</c>): ffmpeg lists a
/// segment only once its file is complete, so every entry is a segment ready for upload.
/// </summary>
public static class RecorderPlaylist
{
    public static IReadOnlyList<FinishedSegment> Parse(string text)
    {
        var segments = new List<FinishedSegment>();
        TimeSpan? duration = null;
        DateTimeOffset? at = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line[8..].Split(',')[0];
                duration = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                    ? TimeSpan.FromSeconds(seconds)
                    : null;
            }
            else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            {
                at = ParseDate(line[25..]);
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                // A segment's name ends its entry; a half-written last line (no name yet) is read next time.
                if (duration is { } length && !line.Contains('/', StringComparison.Ordinal) && !line.Contains("..", StringComparison.Ordinal))
                {
                    segments.Add(new FinishedSegment(line, length, at));
                }

                duration = null;
                at = null;
            }
        }

        return segments;
    }

    /// <summary>ffmpeg writes <c>2026-12-04T01:02:03.456+0000</c>: an offset without the colon ISO 8601 also allows.</summary>
    internal static DateTimeOffset? ParseDate(string value)
    {
        value = value.Trim();
        if (value.Length > 5 && value[^5] is '+' or '-' && value[^4..].All(char.IsAsciiDigit))
        {
            value = $"{value[..^2]}:{value[^2..]}";
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
    }
}
