using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Videos;

/// <summary>
/// One past broadcast, keyed by the broadcast's stream id: its recording while live (the segments the
/// recorder uploaded, in order), then its VOD playlist, and its removal (by the owner, or when the
/// retention period ends) with all its files.
/// </summary>
public interface IVideoGrain : IGrainWithGuidKey
{
    /// <summary>
    /// The recorder of the live broadcast with this id begins (or, after a restart, resumes). Null when
    /// it must not record: the broadcast is not live, its channel has recording off, or it was completed or deleted.
    /// </summary>
    Task<RecordingStarted?> StartRecordingAsync();

    /// <summary>Adds an uploaded segment; a sequence number already added is ignored (a retried call).</summary>
    Task AddSegmentAsync(RecordedSegment segment);

    /// <summary>
    /// Writes the VOD playlist of the segments added so far and lists the video. Idempotent; a video
    /// with no segment is removed instead (null).
    /// </summary>
    Task<VideoInfo?> CompleteAsync(RecordingEnd end);

    /// <summary>Null for a video that does not exist (any more).</summary>
    [ReadOnly]
    Task<VideoInfo?> GetAsync();

    /// <summary>
    /// The uploaded segments that overlap <paramref name="length"/> from <paramref name="from"/> on the
    /// recording's timeline (null: the last <paramref name="length"/> recorded so far), each with its
    /// offset, for cutting a clip. Null for a video that does not exist (any more).
    /// </summary>
    [ReadOnly]
    Task<RecordedRange?> GetRangeAsync(TimeSpan? from, TimeSpan length);

    /// <summary>The channel's owner removes the video and its files; anyone else is FORBIDDEN, a recording in progress CONFLICT.</summary>
    Task DeleteAsync(Guid actorId);

    /// <summary>The retention period ended (or its channel went away): the video and its files go.</summary>
    Task ExpireAsync();
}
