using WgStream.GrainInterfaces.Common;

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
    string? LiveThumbnailUrl = null,
    ChannelClassification? Classification = null)
{
    /// <summary>Tags, language and the mature flag; none set on a channel that never chose them.</summary>
    public ChannelClassification Classified => Classification ?? ChannelClassification.None;
}

/// <summary>
/// What a channel streams and for whom, as its owner set it on the dashboard: up to 10 tags (as
/// typed), the language (an ISO 639-1 code from <c>streamLanguages</c>, or null) and whether it is
/// intended for mature audiences (viewers confirm before the player loads). Kept while offline.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelClassification(IReadOnlyList<string> Tags, string? Language, bool Mature)
{
    public static readonly ChannelClassification None = new([], null, false);
}

/// <summary>Null fields are left as they are; an empty <see cref="Language"/> clears it.</summary>
[GenerateSerializer, Immutable]
public sealed record ClassificationUpdate(IReadOnlyList<string>? Tags, string? Language, bool? Mature)
{
    public bool IsEmpty => Tags is null && Language is null && Mature is null;
}

/// <summary>
/// Narrows directory lists to channels with every one of <see cref="Tags"/> (at most 5, case
/// ignored) and the <see cref="Language"/> when given. As the caller sent it: the directory checks
/// it (BAD_USER_INPUT, field <c>tags</c> or <c>language</c>) and lower-cases it before any read.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DirectoryFilter(IReadOnlyList<string> Tags, string? Language)
{
    public static readonly DirectoryFilter All = new([], null);

    public bool IsAll => Tags.Count == 0 && Language is null;

    /// <summary>A stable text for the filter, part of the shared-read key.</summary>
    public string Key => $"{string.Join(',', Tags)}|{Language}";
}

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
    string? ThumbnailUrl = null,
    IReadOnlyList<string>? Tags = null,
    string? Language = null,
    bool Mature = false);
