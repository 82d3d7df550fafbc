namespace WgStream.Grains.Infrastructure.Media;

/// <summary>What an uploaded image is for; each kind has its own fixed output sizes (see <see cref="ImageProcessor"/>).</summary>
public enum ImageKind
{
    /// <summary>Square: 300×300 and 70×70.</summary>
    Avatar,

    /// <summary>5:2, 1200×480.</summary>
    Banner,

    /// <summary>16:9, 640×360: a frame grabbed from a live stream.</summary>
    Thumbnail,

    /// <summary>16:9, 1280×720: the thumbnail a channel owner uploads.</summary>
    ChannelThumbnail,

    /// <summary>3:4 box art, 285×380: a category's image, which operators upload.</summary>
    Category,
}
