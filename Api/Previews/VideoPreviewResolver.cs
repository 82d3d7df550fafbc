using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Videos;

namespace WgStream.Api.Previews;

/// <summary><c>/videos/{id}</c>: a past broadcast's title, channel, length and date, and its thumbnail (the avatar for a mature channel).</summary>
public sealed class VideoPreviewResolver(IClusterClient cluster) : IPagePreviewResolver
{
    public string Route => "videos/{id}";

    public async Task<PagePreview?> ResolveAsync(RouteValueDictionary values, CancellationToken cancellationToken)
    {
        if (PreviewText.Id(values) is not { } id
            || await cluster.GetGrain<IVideoGrain>(id).GetAsync() is not { Status: VideoStatus.Ready } video
            || await cluster.GetGrain<IChannelGrain>(video.ChannelId).GetAsync() is not { } channel)
        {
            return null;
        }

        var image = PreviewImages.OfRecording(video.ThumbnailUrl, channel, $"Past broadcast of {channel.DisplayName}");
        var description = PreviewText.Details(
            $"Past broadcast by {channel.DisplayName}",
            channel.Classified.Mature ? "Mature content" : null,
            PreviewText.Length(video.Duration),
            PreviewText.Date(video.StartedAt));
        return new PagePreview(video.Title, description, $"/videos/{video.Id}", "video.other", image);
    }
}
