using WgStream.GrainInterfaces.Videos;

namespace WgStream.Grains.Clips;

/// <summary>
/// What to cut: <see cref="Length"/> from <see cref="Start"/> on the timeline of video
/// <see cref="VideoId"/>, from <see cref="Segments"/> (those overlapping the range, in order).
/// </summary>
public sealed record ClipCut(Guid VideoId, TimeSpan Start, TimeSpan Length, IReadOnlyList<TimedSegment> Segments)
{
    /// <summary>Where the clip begins: the range's start, or the first segment's when the range starts in a gap.</summary>
    public TimeSpan Offset => Segments.Count == 0 || Segments[0].Offset <= Start ? Start : Segments[0].Offset;

    /// <summary>How far into the first segment the clip begins.</summary>
    public TimeSpan SeekInFirst => Segments.Count == 0 ? TimeSpan.Zero : Offset - Segments[0].Offset;

    /// <summary>The recorded media inside the range: its length, less any gap (a break in the recording).</summary>
    public TimeSpan Media
    {
        get
        {
            var end = Start + Length;
            var total = TimeSpan.Zero;
            foreach (var segment in Segments)
            {
                var from = segment.Offset > Start ? segment.Offset : Start;
                var to = segment.End < end ? segment.End : end;
                if (to > from)
                {
                    total += to - from;
                }
            }

            return total;
        }
    }
}

/// <summary>A clip cut and stored: where it starts in its video, its length as probed, its size and whether it has a thumbnail.</summary>
public sealed record CutClip(TimeSpan Offset, TimeSpan Duration, long Bytes, bool HasThumbnail);

/// <summary>A cut that could not be made, with the reason its creator is shown.</summary>
public sealed class ClipCutException(string reason, Exception? inner = null) : Exception(reason, inner);
