using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Accounts;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Notifications;

namespace WgStream.Grains.Channels;

public sealed partial class ChannelGrain(
    [PersistentState("channel", StorageNames.Default)] IPersistentState<ChannelState> channel,
    ChannelStore store,
    IOptions<RewardOptions> rewards,
    TimeProvider clock,
    ILogger<ChannelGrain> logger) : Grain, IChannelGrain
{
    /// <summary>How long one follower's follow is announced to the owner only once (a follow/unfollow loop mailed them every time).</summary>
    private static readonly TimeSpan FollowNoticeQuietTime = TimeSpan.FromDays(1);

    /// <summary>Followers announced within <see cref="FollowNoticeQuietTime"/>, while this channel is active.</summary>
    private readonly Dictionary<Guid, DateTimeOffset> announcedFollowers = [];

    private int followerCount;
    private int viewerCount;

    /// <summary>New followers since the analytics sampler last took them (<see cref="TakeNewFollowersAsync"/>); in memory only.</summary>
    private int newFollowers;

    /// <summary>The last row write failed after the state write (the activation lived on): calls that change nothing still bring the row up.</summary>
    private bool listingBehind;

    private ChannelState State => channel.State;

    private Guid ChannelId => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.Created)
        {
            // Counted, not stored: the follows table is the truth and this grain its only writer.
            followerCount = await store.CountFollowersAsync(ChannelId);
            await RepairListingAsync();
        }
    }

    /// <summary>
    /// The state is written before the directory row, so a silo that stopped (or a database error)
    /// between the two left the row behind the state; the version each write stamps on both tells.
    /// The username goes the other way: the account registry moves it in the row (with the account,
    /// in one transaction) before this grain hears of it, so a rename cut short is finished here.
    /// </summary>
    private async Task RepairListingAsync()
    {
        var row = await store.ReadListingStampAsync(ChannelId);
        if (row is not null && row.Username != State.Username)
        {
            LogUsernameRepaired(ChannelId);
            await ApplyUsernameAsync(row.Username);
        }
        else if (row is null || row.Version < State.ListingVersion)
        {
            LogListingRepaired(ChannelId, row?.Version, State.ListingVersion);
            await store.WriteListingAsync(ChannelId, State, followerCount, viewerCount);
        }
    }

    public async Task CreateAsync(string username, DateTimeOffset createdAt)
    {
        if (State.Created)
        {
            // A registration retried after its first attempt failed past the state write: the row may be missing.
            await RepairListingAsync();
            return;
        }

        State.Created = true;
        State.Username = username;
        State.DisplayName = username;
        State.CreatedAt = createdAt;
        await WriteAsync();
        // A name looked up before this channel existed is cached as "none"; correct it.
        await GrainFactory.GetGrain<IChannelNameGrain>(username.ToLowerInvariant()).SetChannelIdAsync(ChannelId);
    }

    public Task<ChannelProfile?> GetAsync()
    {
        if (!State.Created)
        {
            // Anyone may ask for any id: a made-up one must not stay activated until idle collection.
            DeactivateOnIdle();
        }

        return Task.FromResult(State.Created && !State.Hidden ? Profile() : null);
    }

    public async Task RenameAsync(string username)
    {
        EnsureCreated();
        if (State.Username == username)
        {
            return;
        }

        await ApplyUsernameAsync(username);
    }

    private async Task ApplyUsernameAsync(string username)
    {
        var oldName = State.Username;
        var wasDefaultDisplayName = State.DisplayName == oldName;
        State.Username = username;
        if (wasDefaultDisplayName)
        {
            // A display name never chosen follows the username.
            State.DisplayName = username;
        }

        await WriteAsync();
        // The registry already moved the name; both name grains read it from the directory again.
        await GrainFactory.GetGrain<IChannelNameGrain>(username.ToLowerInvariant()).RefreshAsync();
        await GrainFactory.GetGrain<IChannelNameGrain>(oldName.ToLowerInvariant()).RefreshAsync();
    }

    public async Task SetHiddenAsync(bool hidden)
    {
        if (!State.Created || State.Hidden == hidden)
        {
            return;
        }

        State.Hidden = hidden;
        await WriteAsync();
    }

    public async Task<IReadOnlyList<string>> EraseAsync()
    {
        if (!State.Created)
        {
            return [];
        }

        var keys = (State.Avatar?.StorageKeys ?? []).Concat(State.Banner?.StorageKeys ?? []).Concat(State.Thumbnail?.StorageKeys ?? []).ToList();
        await store.DeleteFollowersAsync(ChannelId);
        followerCount = 0;
        viewerCount = 0;
        await channel.ClearStateAsync();
        channel.State = new ChannelState();
        return keys;
    }

    public async Task<ChannelProfile> UpdateAsync(ChannelUpdate update)
    {
        EnsureCreated();
        var displayName = update.DisplayName is null ? State.DisplayName : ChannelRules.DisplayName(update.DisplayName);
        var bio = update.Bio is null ? State.Bio : ChannelRules.Bio(update.Bio);
        State.DisplayName = displayName;
        State.Bio = bio;
        return await SaveAsync();
    }

    public async Task<ChannelProfile> ClassifyAsync(ClassificationUpdate update)
    {
        EnsureCreated();
        // Everything is checked before anything changes: bad input leaves the channel as it was.
        var tags = update.Tags is null ? State.Tags : ClassificationRules.Tags(update.Tags).ToList();
        var language = update.Language is null ? State.Language : ClassificationRules.Language(update.Language);
        var mature = update.Mature ?? State.Mature;
        if (tags.SequenceEqual(State.Tags, StringComparer.Ordinal) && language == State.Language && mature == State.Mature)
        {
            await CatchUpListingAsync();
            return Profile();
        }

        State.Tags = tags;
        State.Language = language;
        State.Mature = mature;
        return await SaveAsync();
    }

    public async Task<ChannelProfile> AddSocialLinkAsync(string title, string url)
    {
        EnsureCreated();
        if (State.SocialLinks.Count >= ChannelRules.SocialLinksMax)
        {
            throw WgException.BadInput($"A channel has at most {ChannelRules.SocialLinksMax} links.");
        }

        State.SocialLinks.Add(new SocialLink(Guid.NewGuid(), ChannelRules.LinkTitle(title), ChannelRules.Url(url)));
        return await SaveAsync();
    }

    public async Task<ChannelProfile> UpdateSocialLinkAsync(Guid linkId, string title, string url)
    {
        EnsureCreated();
        var index = IndexOfLink(linkId);
        State.SocialLinks[index] = new SocialLink(linkId, ChannelRules.LinkTitle(title), ChannelRules.Url(url));
        return await SaveAsync();
    }

    public async Task<ChannelProfile> RemoveSocialLinkAsync(Guid linkId)
    {
        EnsureCreated();
        State.SocialLinks.RemoveAt(IndexOfLink(linkId));
        return await SaveAsync();
    }

    public async Task<ChannelProfile> ReorderSocialLinksAsync(IReadOnlyList<Guid> linkIds)
    {
        EnsureCreated();
        if (linkIds.Count != State.SocialLinks.Count || linkIds.Distinct().Count() != linkIds.Count
            || linkIds.Any(id => State.SocialLinks.All(l => l.Id != id)))
        {
            throw WgException.BadInput("List every link of the channel exactly once.", "ids");
        }

        State.SocialLinks = linkIds.Select(id => State.SocialLinks.First(l => l.Id == id)).ToList();
        return await SaveAsync();
    }

    public async Task<IReadOnlyList<string>> SetImageAsync(ChannelImageKind kind, ChannelImage? image)
    {
        EnsureCreated();
        ChannelImage? previous;
        switch (kind)
        {
            case ChannelImageKind.Avatar:
                (previous, State.Avatar) = (State.Avatar, image);
                break;
            case ChannelImageKind.Banner:
                (previous, State.Banner) = (State.Banner, image);
                break;
            case ChannelImageKind.Thumbnail:
                (previous, State.Thumbnail) = (State.Thumbnail, image);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown channel image.");
        }

        await SaveAsync();
        return previous?.StorageKeys ?? [];
    }

    public async Task<bool> FollowAsync(Guid followerId)
    {
        EnsureCreated();
        if (State.Hidden)
        {
            throw WgException.NotFound("No such channel.");
        }

        if (followerId == ChannelId)
        {
            throw WgException.BadInput("You cannot follow your own channel.", "channelId");
        }

        if (await GrainFactory.GetGrain<IUserBlocksGrain>(ChannelId).HasBlockedAsync(followerId))
        {
            throw WgException.Forbidden("You cannot follow this channel.");
        }

        if (!await store.AddFollowAsync(ChannelId, followerId, followerCount + 1))
        {
            return false;
        }

        followerCount++;
        // Once per follower a day, for the notice and for analytics alike: a follow/unfollow loop is one new follower.
        var announce = ShouldAnnounceFollower(followerId);
        if (announce)
        {
            newFollowers++;
        }

        try
        {
            if (announce)
            {
                await GrainFactory.GetGrain<INotificationDispatchGrain>(0).PublishAsync(new NewFollowerEvent(DateTimeOffset.UtcNow, ChannelId, followerId));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The follow is committed; a notice that could not be recorded is logged, not thrown.
            LogNotifyFailed(e, ChannelId, followerId);
        }

        if (rewards.Value.VerifyAtFollowers > 0 && followerCount >= rewards.Value.VerifyAtFollowers)
        {
            await SetVerifiedAsync("followers");
        }

        return true;
    }

    public async Task<bool> UnfollowAsync(Guid followerId)
    {
        EnsureCreated();
        if (!await store.RemoveFollowAsync(ChannelId, followerId, followerCount - 1))
        {
            return false;
        }

        followerCount--;
        return true;
    }

    public Task<int> TakeNewFollowersAsync()
    {
        var taken = newFollowers;
        newFollowers = 0;
        return Task.FromResult(taken);
    }

    public async Task<bool> IsFollowedByAsync(Guid userId) => await store.FollowedSinceAsync(ChannelId, userId) is not null;

    public Task<DateTimeOffset?> GetFollowedSinceAsync(Guid userId) => store.FollowedSinceAsync(ChannelId, userId);

    public async Task SetLiveAsync(ChannelLive? live)
    {
        if (live is null && State.Live is null)
        {
            // Already offline (or no channel at all): the broadcaster's reconciliation says so often.
            await CatchUpListingAsync();
            return;
        }

        EnsureCreated();
        if (live is not null && State.Live is { } current && current == live with { ViewerCount = current.ViewerCount })
        {
            // The same broadcast with the same title and category: only the in-memory count can be news.
            viewerCount = live.ViewerCount;
            await CatchUpListingAsync();
            return;
        }

        if (live is null || live.StreamId != State.Live?.StreamId)
        {
            // A frame of the previous broadcast is not this one's (title or category changes keep it).
            State.LiveThumbnailUrl = null;
        }

        State.Live = live;
        viewerCount = live?.ViewerCount ?? 0;
        await WriteAsync();
    }

    public async Task SetLiveThumbnailAsync(Guid streamId, string url)
    {
        if (!State.Created || State.Live?.StreamId != streamId)
        {
            return;
        }

        State.LiveThumbnailUrl = url;
        await WriteAsync();
    }

    public async Task SetViewerCountAsync(int viewers, bool persist)
    {
        if (State.Live is null)
        {
            return;
        }

        viewerCount = viewers;
        if (persist)
        {
            await store.SetViewerCountAsync(ChannelId, viewers);
        }
    }

    public async Task<bool> SetVerifiedAsync(string reason)
    {
        EnsureCreated();
        if (State.Verified)
        {
            return false;
        }

        State.Verified = true;
        await SaveAsync();
        LogVerified(ChannelId, reason);
        try
        {
            await GrainFactory.GetGrain<INotificationDispatchGrain>(0).PublishAsync(new ChannelVerifiedEvent(clock.GetUtcNow(), ChannelId));
        }
        catch (Exception e)
        {
            // The mark is stored and shows on the channel; only the owner's notice is lost.
            LogPublishFailed(e, ChannelId);
        }

        return true;
    }

    public async Task OnSponsoredAsync()
    {
        if (rewards.Value.VerifyOnFirstSponsorship && State.Created && !State.Verified)
        {
            await SetVerifiedAsync("sponsorship");
        }
    }

    /// <summary>
    /// Once per follower per day: following, unfollowing and following again does not notify (and
    /// e-mail) the owner each time. Kept in memory, pruned as it grows; a channel deactivated in
    /// between may announce a returning follower once more, which is harmless.
    /// </summary>
    private bool ShouldAnnounceFollower(Guid followerId)
    {
        var now = clock.GetUtcNow();
        if (announcedFollowers.TryGetValue(followerId, out var at) && now - at < FollowNoticeQuietTime)
        {
            return false;
        }

        if (announcedFollowers.Count >= 10_000)
        {
            foreach (var old in announcedFollowers.Where(kv => now - kv.Value >= FollowNoticeQuietTime).Select(kv => kv.Key).ToList())
            {
                announcedFollowers.Remove(old);
            }
        }

        announcedFollowers[followerId] = now;
        return true;
    }

    private int IndexOfLink(Guid linkId)
    {
        var index = State.SocialLinks.FindIndex(l => l.Id == linkId);
        return index >= 0 ? index : throw WgException.NotFound("No such link on this channel.");
    }

    private async Task<ChannelProfile> SaveAsync()
    {
        await WriteAsync();
        return Profile();
    }

    /// <summary>
    /// The state, then the directory row, both stamped with the next listing version. The grain is
    /// the owner: if the row write does not happen, the row is behind and the next write or the next
    /// activation (<see cref="RepairListingAsync"/>) brings it up to date.
    /// </summary>
    private async Task WriteAsync()
    {
        State.ListingVersion++;
        await channel.WriteStateAsync();
        listingBehind = true;
        await store.WriteListingAsync(ChannelId, State, followerCount, viewerCount);
        listingBehind = false;
    }

    private async Task CatchUpListingAsync()
    {
        if (listingBehind)
        {
            await store.WriteListingAsync(ChannelId, State, followerCount, viewerCount);
            listingBehind = false;
        }
    }

    private void EnsureCreated()
    {
        if (!State.Created)
        {
            throw WgException.NotFound("No such channel.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the new-follower notice for channel {ChannelId} (follower {FollowerId})")]
    private partial void LogNotifyFailed(Exception exception, Guid channelId, Guid followerId);

    private ChannelProfile Profile() => new(
        ChannelId,
        State.Username,
        State.DisplayName,
        State.Bio,
        State.Avatar,
        State.Banner,
        State.SocialLinks.ToList(),
        followerCount,
        IsLive: State.Live is not null,
        State.Verified,
        State.CreatedAt,
        State.Live is { } live ? live with { ViewerCount = viewerCount } : null,
        State.Thumbnail,
        State.Live is null ? null : State.LiveThumbnailUrl,
        new ChannelClassification(State.Tags.ToList(), State.Language, State.Mature));


    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: directory row at version {RowVersion} was behind the grain's {StateVersion}; rewritten")]
    private partial void LogListingRepaired(Guid channelId, long? rowVersion, long stateVersion);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId}: the registry had moved the username but the channel had not heard; renamed now")]
    private partial void LogUsernameRepaired(Guid channelId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {ChannelId} is verified ({Reason})")]
    private partial void LogVerified(Guid channelId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {ChannelId} is verified but its owner's notice could not be recorded")]
    private partial void LogPublishFailed(Exception exception, Guid channelId);
}
