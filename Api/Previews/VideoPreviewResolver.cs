using System.Globalization;
using WgStream.GrainInterfaces.Channels;
using WgStream.GrainInterfaces.Videos;

namespace WgStream.Api.Previews;

/// <summary><c>/videos/{id}</c>: a past broadcast's title, channel, length and date, and its thumbnail (the avatar for a mature channel).</summary>
public sealed class VideoPreviewResolver(IClusterClient cluster) : IPagePreviewResolver
{
    public string Route => "videos/{id}";

    public async Task<PagePreview?> ResolveAsync(RouteValueDictionary values, CancellationToken cancellationToken)
    {
        if (values["id"] is not string text || !Guid.TryParse(text, out var id)
            || await cluster.GetGrain<IVideoGrain>(id).GetAsync() is not { Status: VideoStatus.Ready } video
            || await cluster.GetGrain<IChannelGrain>(video.ChannelId).GetAsync() is not { } channel)
        {
            return null;
        }

        var mature = channel.Classified.Mature;
        var image = video.ThumbnailUrl is { } thumbnail && !mature
            ? new PreviewImage(thumbnail, 640, 360, $"Past broadcast of {channel.DisplayName}", Large: true)
            : PreviewImages.Of(channel, allowFrames: false);
        var length = video.Duration.TotalHours >= 1
            ? video.Duration.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture)
            : video.Duration.ToString(@"m\:ss", CultureInfo.InvariantCulture);
        var parts = new[] { $"Past broadcast by {channel.DisplayName}", mature ? "Mature content" : null, length, video.StartedAt.UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) };
        return new PagePreview(video.Title, string.Join(" · ", parts.OfType<string>()), $"/videos/{video.Id}", "video.other", image);
    }
}
