using WgStream.GrainInterfaces.Channels;

namespace WgStream.Api.Previews;

/// <summary>Which picture a channel's preview carries, with its known size.</summary>
public static class PreviewImages
{
    /// <summary>
    /// The channel's thumbnail (its live frame, 640×360, or the uploaded one, 1280×720: the rule of
    /// <see cref="ChannelThumbnails"/>) when <paramref name="allowFrames"/>; else, or when it has none, the 300×300 avatar; else none.
    /// </summary>
    public static PreviewImage? Of(ChannelProfile channel, bool allowFrames)
    {
        if (allowFrames)
        {
            var frame = channel.IsLive ? channel.LiveThumbnailUrl : null;
            if (frame is not null)
            {
                return new PreviewImage(frame, 640, 360, $"{channel.DisplayName}'s stream", Large: true);
            }

            if (channel.Thumbnail?.Urls.GetValueOrDefault(ChannelThumbnails.Variant) is { } uploaded)
            {
                return new PreviewImage(uploaded, 1280, 720, $"{channel.DisplayName}'s stream", Large: true);
            }
        }

        return channel.Avatar?.Urls.GetValueOrDefault("300") is { } avatar
            ? new PreviewImage(avatar, 300, 300, channel.DisplayName, Large: false)
            : null;
    }

    /// <summary>
    /// A recording's picture (a past broadcast's or a clip's): its 640×360 thumbnail, or, when it has
    /// none or the channel is marked mature (a chat app shows the picture to everyone in the chat), the avatar.
    /// </summary>
    public static PreviewImage? OfRecording(string? thumbnailUrl, ChannelProfile channel, string alt) =>
        thumbnailUrl is { } thumbnail && !channel.Classified.Mature
            ? new PreviewImage(thumbnail, 640, 360, alt, Large: true)
            : Of(channel, allowFrames: false);
}
