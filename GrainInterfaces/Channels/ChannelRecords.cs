namespace WgStream.GrainInterfaces.Channels;

[GenerateSerializer, Immutable]
public sealed record ChannelProfile(
    Guid Id,
    string Username,
    string DisplayName,
    string Bio,
    ChannelImage? Avatar,
    ChannelImage? Banner,
    IReadOnlyList<SocialLink> SocialLinks,
    int FollowerCount,
    bool IsLive,
    bool Verified,
    DateTimeOffset CreatedAt,
    ChannelLive? Live = null,
    ChannelImage? Thumbnail = null,
    string? LiveThumbnailUrl = null);

/// <summary>Which thumbnail a channel shows: one rule for channel pages (C#) and directory rows (SQL).</summary>
public static class ChannelThumbnails
{
    /// <summary>The variant name of an uploaded thumbnail (1280×720 WebP).</summary>
    public const string Variant = "1280x720";

    /// <summary>
    /// While live, the newest frame of the broadcast (once one has been captured); otherwise, and
    /// until that first frame, the owner's uploaded thumbnail; null when there is neither.
    /// </summary>
    public static string? Effective(bool isLive, string? liveFrameUrl, string? customUrl) =>
        (isLive ? liveFrameUrl : null) ?? customUrl;

    /// <summary>The same rule over a <c>channels</c> row.</summary>
    public const string Sql = "coalesce(CASE WHEN is_live THEN live_thumbnail_url END, thumbnail_url)";
}

/// <summary>The broadcast a channel is live with; null on an offline channel.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelLive(Guid StreamId, string Title, string? CategorySlug, DateTimeOffset StartedAt, int ViewerCount);

[GenerateSerializer, Immutable]
public sealed record SocialLink(Guid Id, string Title, string Url);

/// <summary>Null fields are left as they are.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelUpdate(string? DisplayName, string? Bio);

public enum ChannelImageKind
{
    Avatar,
    Banner,

    /// <summary>The owner's stream thumbnail, shown when the channel is offline and in cards.</summary>
    Thumbnail,
}

/// <summary>One uploaded image in its sizes: variant name (for example <c>300</c>) to public URL, and the storage keys behind them.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelImage(IReadOnlyDictionary<string, string> Urls, IReadOnlyList<string> StorageKeys);

/// <summary>
/// A category with what is live in it right now (channels and the sum of their viewers, as last
/// written to the directory), and its box art (285×380 WebP) when an operator uploaded one.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Category(string Slug, string NameEn, string NameUk, int LiveChannelCount = 0, int ViewerCount = 0, string? ImageUrl = null);

/// <summary>A page of a Relay-style connection.</summary>
[GenerateSerializer, Immutable]
public sealed record Page<T>(IReadOnlyList<Edge<T>> Edges, bool HasNextPage)
{
    public string? EndCursor => Edges.Count > 0 ? Edges[^1].Cursor : null;
}

[GenerateSerializer, Immutable]
public sealed record Edge<T>(string Cursor, T Node);

/// <summary>A follow seen from either side: the other channel's id and when the follow began.</summary>
[GenerateSerializer, Immutable]
public sealed record FollowEntry(Guid ChannelId, DateTimeOffset FollowedAt);

/// <summary>A directory row: enough to list a channel without activating its grain.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelListing(
    Guid Id,
    string Username,
    string DisplayName,
    string? AvatarUrl,
    int FollowerCount,
    bool IsLive,
    int ViewerCount,
    string? StreamTitle,
    string? CategorySlug,
    bool Verified,
    string? ThumbnailUrl = null);
