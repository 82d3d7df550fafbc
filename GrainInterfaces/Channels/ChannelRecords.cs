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
    ChannelLive? Live = null);

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
}

/// <summary>One uploaded image in its sizes: variant name (for example <c>300</c>) to public URL, and the storage keys behind them.</summary>
[GenerateSerializer, Immutable]
public sealed record ChannelImage(IReadOnlyDictionary<string, string> Urls, IReadOnlyList<string> StorageKeys);

/// <summary>A category, with how many channels are live in it and how many watch them.</summary>
[GenerateSerializer, Immutable]
public sealed record Category(string Slug, string NameEn, string NameUk, int LiveChannelCount, int ViewerCount);

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
    string? ThumbnailUrl);
