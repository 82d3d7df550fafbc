using Orleans.Concurrency;

namespace WgStream.GrainInterfaces.Channels;

/// <summary>
/// A channel, keyed by its owner's user id (every user owns exactly one). Its profile is served
/// from memory; changes are persisted and written through to the <c>channels</c> directory table.
/// </summary>
public interface IChannelGrain : IGrainWithGuidKey
{
    /// <summary>Creates the channel for a newly registered user; repeating it is harmless.</summary>
    Task CreateAsync(string username, DateTimeOffset createdAt);

    [ReadOnly]
    Task<ChannelProfile?> GetAsync();

    Task<ChannelProfile> UpdateAsync(ChannelUpdate update);

    /// <summary>
    /// Tags (up to 10, each 1–25 letters or digits; repeats ignoring case are dropped), language
    /// (an ISO 639-1 code from <c>StreamLanguages</c>, empty to clear) and the mature flag; written
    /// through to the directory row. Bad input is BAD_USER_INPUT (field <c>tags</c> or <c>language</c>)
    /// and changes nothing.
    /// </summary>
    Task<ChannelProfile> ClassifyAsync(ClassificationUpdate update);

    Task<ChannelProfile> AddSocialLinkAsync(string title, string url);

    Task<ChannelProfile> UpdateSocialLinkAsync(Guid linkId, string title, string url);

    Task<ChannelProfile> RemoveSocialLinkAsync(Guid linkId);

    /// <summary>Puts the links in the given order; the ids must be exactly the channel's links.</summary>
    Task<ChannelProfile> ReorderSocialLinksAsync(IReadOnlyList<Guid> linkIds);

    /// <summary>Sets (or, with null, removes) an image; returns the storage keys of the image it replaced, for deletion.</summary>
    Task<IReadOnlyList<string>> SetImageAsync(ChannelImageKind kind, ChannelImage? image);

    /// <summary>Records that <paramref name="followerId"/> follows this channel; true if it is new.</summary>
    Task<bool> FollowAsync(Guid followerId);

    /// <summary>True if the follow existed.</summary>
    Task<bool> UnfollowAsync(Guid followerId);

    /// <summary>New followers since the previous call (a follower counts once a day, as for the owner's notice), for the live broadcast's analytics sampler; starts the next count.</summary>
    Task<int> TakeNewFollowersAsync();

    [ReadOnly]
    Task<bool> IsFollowedByAsync(Guid userId);

    /// <summary>When <paramref name="userId"/> started following this channel, or null.</summary>
    [ReadOnly]
    Task<DateTimeOffset?> GetFollowedSinceAsync(Guid userId);

    /// <summary>Marks the channel live with that broadcast, or offline with null; written through to the directory row.</summary>
    Task SetLiveAsync(ChannelLive? live);

    /// <summary>
    /// The newest frame of live broadcast <paramref name="streamId"/> (its thumbnail); ignored unless
    /// that broadcast is the one the channel is live with, so a late frame never outlives the stream.
    /// </summary>
    Task SetLiveThumbnailAsync(Guid streamId, string url);

    /// <summary>
    /// The live broadcast's viewer count, exact in memory; <paramref name="persist"/> also writes it to
    /// the directory row (which <c>liveChannels</c> sorts by), so callers can throttle those writes.
    /// </summary>
    Task SetViewerCountAsync(int viewers, bool persist);

    /// <summary>Marks the channel verified and records the owner's notice (<c>ChannelVerifiedEvent</c>); true if it was not verified before.</summary>
    Task<bool> SetVerifiedAsync(string reason);

    /// <summary>Called once a sponsorship of this channel is active: applies the sponsorship reward rule.</summary>
    Task OnSponsoredAsync();

    /// <summary>The owner's new username (already claimed in the account registry): the channel URL changes at once.</summary>
    Task RenameAsync(string username);

    /// <summary>
    /// A deactivated owner's channel is hidden: <see cref="GetAsync"/> answers null (so pages, follow
    /// lists and chat treat it as gone), search and the live directory leave it out, and nobody can follow it.
    /// </summary>
    Task SetHiddenAsync(bool hidden);

    /// <summary>
    /// Deletes the channel for an erased account: its profile and the follows of it. Returns the
    /// storage keys of its avatar, banner and uploaded thumbnail, for the caller to delete.
    /// </summary>
    Task<IReadOnlyList<string>> EraseAsync();
}
