namespace WgStream.GrainInterfaces.Clips;

/// <summary>
/// One clip, keyed by its id (new for each request): it owns the clip's facts, cuts it from the
/// recording's segments (a remux, no re-encoding) and removes it with its files.
/// </summary>
public interface IClipGrain : IGrainWithGuidKey
{
    /// <summary>
    /// A signed-in user makes the clip. Checks the request (<c>BAD_USER_INPUT</c> with the field:
    /// length, title, a range outside the video), the creator's rate limit (<c>RATE_LIMITED</c>), the
    /// source (<c>NOT_FOUND</c> channel or video, <c>CONFLICT</c> not live, not recorded or not enough
    /// recorded yet, <c>FORBIDDEN</c> banned from the channel) and this node's room for another cut
    /// (<c>BUSY</c>); then records it as processing and cuts it. Answers once it is ready or failed, or
    /// after <c>Clips:AnswerWithin</c> still processing (the cut goes on; ask <see cref="GetAsync"/>).
    /// An id used before is <c>CONFLICT</c>.
    /// </summary>
    Task<ClipInfo> CreateAsync(Guid creatorId, ClipRequest request);

    /// <summary>Null for a clip that does not exist (any more).</summary>
    Task<ClipInfo?> GetAsync();

    /// <summary>
    /// Removes the clip and its files: its creator, the channel's broadcaster or one of its moderators;
    /// anyone else is <c>FORBIDDEN</c>, a clip still being cut <c>CONFLICT</c>.
    /// </summary>
    Task DeleteAsync(Guid actorId);

    /// <summary>The clip goes with its files whoever asks (its channel's account was deleted). Idempotent.</summary>
    Task RemoveAsync();

    /// <summary>
    /// Counts a view of a ready clip, once per <paramref name="viewerKey"/> (an account, or an address
    /// for anonymous viewers) while the clip is in memory; written to PostgreSQL in batches.
    /// </summary>
    Task RecordViewAsync(string viewerKey);
}
