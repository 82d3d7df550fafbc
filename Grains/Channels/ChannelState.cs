using WgStream.GrainInterfaces.Channels;

namespace WgStream.Grains.Channels;

[GenerateSerializer]
public sealed class ChannelState
{
    [Id(0)] public bool Created { get; set; }

    [Id(1)] public string Username { get; set; } = string.Empty;

    [Id(2)] public string DisplayName { get; set; } = string.Empty;

    [Id(3)] public string Bio { get; set; } = string.Empty;

    [Id(4)] public ChannelImage? Avatar { get; set; }

    [Id(5)] public ChannelImage? Banner { get; set; }

    [Id(6)] public List<SocialLink> SocialLinks { get; set; } = [];

    [Id(7)] public bool Verified { get; set; }

    [Id(8)] public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The broadcast the channel is live with (its viewer count is kept in memory only).</summary>
    [Id(9)] public ChannelLive? Live { get; set; }

    /// <summary>The owner's uploaded thumbnail (1280×720 WebP).</summary>
    [Id(10)] public ChannelImage? Thumbnail { get; set; }

    /// <summary>The newest frame of the live broadcast; cleared when a broadcast starts or ends.</summary>
    [Id(11)] public string? LiveThumbnailUrl { get; set; }

    /// <summary>Bumped by every write that the directory row mirrors; the row carries the version it was written at (<c>channels.listing_version</c>).</summary>
    [Id(12)] public long ListingVersion { get; set; }

    /// <summary>Tags as the owner typed them (at most 10; matched ignoring case).</summary>
    [Id(13)] public List<string> Tags { get; set; } = [];

    /// <summary>ISO 639-1 code of the language the channel streams in; null when not set.</summary>
    [Id(14)] public string? Language { get; set; }

    /// <summary>Intended for mature audiences: viewers confirm before the player loads.</summary>
    [Id(15)] public bool Mature { get; set; }

    /// <summary>The owner deactivated their account: the channel is hidden until they sign in again.</summary>
    [Id(20)] public bool Hidden { get; set; }
}
