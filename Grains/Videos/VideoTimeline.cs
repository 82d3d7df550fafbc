using WgStream.GrainInterfaces.Videos;

namespace WgStream.Grains.Videos;

/// <summary>
/// Where each recorded segment lies on its video's timeline: the wall clock of the broadcast, from
/// the video's start, which is how the video page counts positions (hls.js's playing date) and how
/// chat replay counts offsets. A break in the recording (the encoder reconnected) is a gap.
/// </summary>
public static class VideoTimeline
{
    /// <summary>
    /// Each segment at its program date time, never before the previous one ends (a clock stepping back
    /// must not fold the timeline over itself); one without a date right after the previous one.
    /// </summary>
    public static IReadOnlyList<TimedSegment> Place(IReadOnlyList<RecordedSegment> segments, DateTimeOffset startedAt)
    {
        var placed = new List<TimedSegment>(segments.Count);
        var end = TimeSpan.Zero;
        foreach (var segment in segments)
        {
            var offset = segment.ProgramDateTime is { } at && at - startedAt > end ? at - startedAt : end;
            var timed = new TimedSegment(segment, offset);
            placed.Add(timed);
            end = timed.End;
        }

        return placed;
    }

    /// <summary>The segments overlapping <paramref name="length"/> from <paramref name="from"/> (null: the last <paramref name="length"/> recorded).</summary>
    public static RecordedRange Range(VideoInfo video, IReadOnlyList<RecordedSegment> segments, TimeSpan? from, TimeSpan length)
    {
        var placed = Place(segments, video.StartedAt);
        var recorded = placed.Count == 0 ? TimeSpan.Zero : placed[^1].End;
        var start = from ?? (recorded > length ? recorded - length : TimeSpan.Zero);
        var end = start + length;
        return new RecordedRange(video, recorded, [.. placed.Where(s => s.End > start && s.Offset < end)]);
    }
}
