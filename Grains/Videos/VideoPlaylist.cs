using System.Globalization;
using System.Text;
using WgStream.GrainInterfaces.Videos;

namespace WgStream.Grains.Videos;

/// <summary>The VOD playlist (RFC 8216) of a recording's segments.</summary>
public static class VideoPlaylist
{
    public const string ContentType = "application/vnd.apple.mpegurl";

    public static string Build(IReadOnlyList<RecordedSegment> segments)
    {
        ArgumentOutOfRangeException.ThrowIfZero(segments.Count);
        var target = (int)Math.Ceiling(segments.Max(s => s.Duration.TotalSeconds));
        var text = new StringBuilder()
            .Append("#EXTM3U\n")
            .Append("#EXT-X-VERSION:3\n")
            .Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{Math.Max(1, target)}\n")
            .Append("#EXT-X-MEDIA-SEQUENCE:0\n")
            .Append("#EXT-X-PLAYLIST-TYPE:VOD\n")
            .Append("#EXT-X-INDEPENDENT-SEGMENTS\n");
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.Discontinuity && i > 0)
            {
                text.Append("#EXT-X-DISCONTINUITY\n");
            }

            // The wall clock at the first segment and after each break lets a player (hls.js's
            // playingDate) tell when each moment was live, which chat replay follows.
            if (segment.ProgramDateTime is { } at && (i == 0 || segment.Discontinuity))
            {
                text.Append(CultureInfo.InvariantCulture, $"#EXT-X-PROGRAM-DATE-TIME:{at.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff}Z\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{segment.Duration.TotalSeconds:0.000},\n")
                .Append(VideoKeys.SegmentName(segment.Sequence)).Append('\n');
        }

        return text.Append("#EXT-X-ENDLIST\n").ToString();
    }
}
