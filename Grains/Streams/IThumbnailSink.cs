namespace WgStream.Grains.Streams;

/// <summary>Where a live stream's thumbnail frame goes (<see cref="MediaThumbnailSink"/>: 640×360 WebP in the media store).</summary>
public interface IThumbnailSink
{
    /// <summary>Stores the frame (JPEG) as the stream's current thumbnail; returns its public URL.</summary>
    Task<string> StoreAsync(Guid channelId, Guid streamId, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken);
}
