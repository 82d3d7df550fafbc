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
        if (PreviewText.Id(values) is not { } id
            || await cluster.GetGrain<IClipGrain>(id).GetAsync() is not { Status: ClipStatus.Ready } clip
            || await cluster.GetGrain<IChannelGrain>(clip.ChannelId).GetAsync() is not { } channel)
        {
            return null;
        }

        var mature = channel.Classified.Mature;
        var image = PreviewImages.OfRecording(clip.ThumbnailUrl, channel, $"Clip of {channel.DisplayName}: {clip.Title}");
        var video = clip.VideoUrl is { } url && !mature ? new PreviewVideo(url, "video/mp4", 640, 360) : null;
        var creator = clip.CreatorId == clip.ChannelId ? null : await cluster.GetGrain<IChannelGrain>(clip.CreatorId).GetAsync();
        var description = PreviewText.Details(
            $"Clip of {channel.DisplayName}",
            mature ? "Mature content" : null,
            PreviewText.Length(clip.Duration),
            creator is null ? null : $"clipped by {creator.DisplayName}",
            PreviewText.Date(clip.CreatedAt));
        return new PagePreview(clip.Title, description, $"/clips/{clip.Id}", "video.other", image) { Video = video };
    }
}
