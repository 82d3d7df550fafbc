using WgStream.GrainInterfaces.Chat;
using WgStream.GrainInterfaces.Common;

namespace WgStream.GrainInterfaces.Videos;

public enum VideoStatus
{
    /// <summary>The broadcast is live and being recorded; not listed yet.</summary>
    Recording,

    /// <summary>Ended and playable: its VOD playlist is in the media store.</summary>
    Ready,
}

/// <summary>
/// A past broadcast. Its id is the broadcast's (stream) id. <see cref="StartedAt"/> is the wall-clock
/// time of the first recorded frame, which chat replay measures message offsets from.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record VideoInfo(
    Guid Id,
    Guid ChannelId,
    string Title,
    string? CategorySlug,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    TimeSpan Duration,
    VideoStatus Status,
    string? PlaylistUrl,
    string? ThumbnailUrl);

/// <summary>
/// One recorded segment, uploaded to the media store under <c>VideoKeys.Segment(video, Sequence)</c>
/// before it is added. <see cref="Discontinuity"/> marks the first segment after the recorder
/// restarted (an encoder reconnect, an Api node restart), where timestamps and codec settings may jump.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RecordedSegment(int Sequence, TimeSpan Duration, DateTimeOffset? ProgramDateTime, bool Discontinuity, long Bytes);

/// <summary>
/// A segment placed on its recording's timeline: <see cref="Offset"/> is when it starts, by the
/// recording's wall clock (program date time), counted from the video's <see cref="VideoInfo.StartedAt"/>,
/// so a break in the recording is a gap, as the video page's position shows it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record TimedSegment(RecordedSegment Segment, TimeSpan Offset)
{
    public TimeSpan End => Offset + Segment.Duration;
}

/// <summary>
/// Part of a recording: the video, how far it reaches so far (<see cref="Recorded"/>: the end of its
/// last uploaded segment on the timeline; the newest segment of a live broadcast is still being
/// written and not counted), and the segments that overlap the range asked for, in order.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RecordedRange(VideoInfo Video, TimeSpan Recorded, IReadOnlyList<TimedSegment> Segments);

/// <summary>A recording may go on: the next segment's sequence number (0 for a new recording).</summary>
[GenerateSerializer, Immutable]
public sealed record RecordingStarted(Guid VideoId, int NextSequence);

/// <summary>The end of a recording: a JPEG frame for the thumbnail, if the recorder could take one.</summary>
[GenerateSerializer, Immutable]
public sealed record RecordingEnd(byte[]? ThumbnailFrame);

/// <summary>A message of a past broadcast and where in the recording it was sent.</summary>
[GenerateSerializer, Immutable]
public sealed record ReplayedMessage(ChatMessage Message, TimeSpan Offset, string Cursor);

[GenerateSerializer, Immutable]
public sealed record ChatReplayPage(IReadOnlyList<ReplayedMessage> Messages, bool HasMore);
