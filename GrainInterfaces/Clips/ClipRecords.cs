namespace WgStream.GrainInterfaces.Clips;

public enum ClipStatus
{
    /// <summary>Being cut from the recording; not listed yet.</summary>
    Processing,

    /// <summary>Playable: its MP4 (and thumbnail, when a frame could be taken) is in the media store.</summary>
    Ready,

    /// <summary>Could not be made (<see cref="ClipInfo.FailureReason"/> says why); it has no files.</summary>
    Failed,
}

/// <summary>How a channel's clips are listed.</summary>
public enum ClipOrder
{
    /// <summary>Newest first.</summary>
    Newest,

    /// <summary>Most viewed first (views are counted in batches, so a page can lag a few seconds behind).</summary>
    MostViewed,
}

/// <summary>
/// What a viewer asks for. <see cref="VideoId"/> null: the last <see cref="Length"/> of the channel's
/// live broadcast (its recording's finished segments). Otherwise a range of that video from
/// <see cref="From"/> (seconds into it by the recording's clock, as the video page counts them; 0 when null).
/// A null <see cref="Length"/> is <c>Clips:DefaultSeconds</c>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClipRequest(Guid ChannelId, Guid? VideoId, TimeSpan? From, TimeSpan? Length, string Title);

/// <summary>
/// A clip: a copy of a few seconds of a broadcast's recording, as an MP4 of its own, so it outlives
/// the video it came from. <see cref="Offset"/> is where it starts in that video.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ClipInfo(
    Guid Id,
    Guid ChannelId,
    Guid VideoId,
    Guid CreatorId,
    string Title,
    bool FromLive,
    TimeSpan Offset,
    TimeSpan Duration,
    ClipStatus Status,
    string? FailureReason,
    string? VideoUrl,
    string? ThumbnailUrl,
    long ViewCount,
    DateTimeOffset CreatedAt);
