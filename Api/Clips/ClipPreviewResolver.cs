using System.Globalization;
using WgStream.Api.Previews;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Clips;

namespace WgStream.Api.Clips;

/// <summary>
/// <c>/clips/{id}</c>: a ready clip's title, channel, length and creator, its thumbnail and its MP4 as
/// og:video (a chat app can play it inline). For a mature channel: the avatar and no video, as the
/// other previews do with frames.
/// </summary>
public sealed class ClipPreviewResolver(IClusterClient cluster) : IPagePreviewResolver
{
    public string Route => "clips/{id}";

    public async Task<PagePreview?> ResolveAsync(RouteValueDictionary values, CancellationToken cancellationToken)
    {
        if (values["id"] is not string text || !Guid.TryParse(text, out var id)
            || await cluster.GetGrain<IClipGrain>(id).GetAsync() is not { Status: ClipStatus.Ready } clip
            || await cluster.GetGrain<IChannelGrain>(clip.ChannelId).GetAsync() is not { } channel)
        {
            return null;
        }

        var mature = channel.Classified.Mature;
        var image = clip.ThumbnailUrl is { } thumbnail && !mature
            ? new PreviewImage(thumbnail, 640, 360, $"Clip of {channel.DisplayName}: {clip.Title}", Large: true)
            : PreviewImages.Of(channel, allowFrames: false);
        var video = clip.VideoUrl is { } url && !mature ? new PreviewVideo(url, "video/mp4", 640, 360) : null;
        var creator = clip.CreatorId == clip.ChannelId ? null : await cluster.GetGrain<IChannelGrain>(clip.CreatorId).GetAsync();
        var length = clip.Duration.ToString(@"m\:ss", CultureInfo.InvariantCulture);
        var parts = new[]
        {
            $"Clip of {channel.DisplayName}",
            mature ? "Mature content" : null,
            length,
            creator is null ? null : $"clipped by {creator.DisplayName}",
            clip.CreatedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
        };
        return new PagePreview(clip.Title, string.Join(" · ", parts.OfType<string>()), $"/clips/{clip.Id}", "video.other", image) { Video = video };
    }
}
