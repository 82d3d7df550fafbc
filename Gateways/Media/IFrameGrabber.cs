namespace WgStream.Gateways.Media;

/// <summary>Takes one frame of a live stream.</summary>
public interface IFrameGrabber
{
    /// <summary>A JPEG of the newest frame of <paramref name="playlistUrl"/>, or null when there is none (yet).</summary>
    Task<byte[]?> GrabAsync(string playlistUrl, CancellationToken cancellationToken);
}
