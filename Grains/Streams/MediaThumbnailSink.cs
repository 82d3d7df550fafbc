using Microsoft.Extensions.Options;
using WgStream.Gateways.Media;
using WgStream.Grains.Infrastructure.Media;

namespace WgStream.Grains.Streams;

/// <summary>
/// Stores a live frame through the media adapter: checked and re-encoded to a 640×360 WebP, under
/// one key per broadcast that each new frame replaces. The URL carries a version, so browsers and
/// CDNs fetch the new frame although the store marks objects as immutable.
/// </summary>
public sealed class MediaThumbnailSink(ImageProcessor processor, IMediaStore store, TimeProvider clock) : IThumbnailSink
{
    public async Task<string> StoreAsync(Guid channelId, Guid streamId, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken)
    {
        var image = (await processor.ProcessAsync(jpeg, ImageKind.Thumbnail, cancellationToken))[0];
        var key = $"thumbnails/{channelId:N}/{streamId:N}.webp";
        await store.PutAsync(key, image.Content, image.ContentType, cancellationToken);
        return $"{store.PublicUrl(key)}?v={clock.GetUtcNow().ToUnixTimeMilliseconds()}";
    }
}
