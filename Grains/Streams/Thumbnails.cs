using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WgStream.Grains.Streams;

/// <summary>
/// Where a live stream's thumbnail frame goes. Narrow on purpose: the media adapter (IMediaStore with
/// ImageProcessor's 640×360 WebP thumbnails) is meant to implement it; until then
/// <see cref="LocalThumbnailSink"/> keeps the JPEG frame in a local directory.
/// </summary>
public interface IThumbnailSink
{
    /// <summary>Stores the frame (JPEG) as the stream's current thumbnail; returns its public URL.</summary>
    Task<string> StoreAsync(Guid channelId, Guid streamId, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken);
}

/// <summary>Takes one frame of a live stream.</summary>
public interface IFrameGrabber
{
    /// <summary>A JPEG of the newest frame of <paramref name="playlistUrl"/>, or null when there is none (yet).</summary>
    Task<byte[]?> GrabAsync(string playlistUrl, CancellationToken cancellationToken);
}

/// <summary>Writes <c>{ThumbnailDirectory}/{channel}/{stream}.jpg</c>, replacing the previous frame atomically.</summary>
public sealed class LocalThumbnailSink(IOptions<StreamOptions> options, TimeProvider clock) : IThumbnailSink
{
    public async Task<string> StoreAsync(Guid channelId, Guid streamId, ReadOnlyMemory<byte> jpeg, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetFullPath(options.Value.ThumbnailDirectory), channelId.ToString("N"));
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{streamId:N}.jpg");
        var temporary = path + $".{Guid.NewGuid():N}.tmp";
        await File.WriteAllBytesAsync(temporary, jpeg.ToArray(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        // The version makes browsers and CDNs fetch the new frame rather than a cached one.
        var version = clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return $"{options.Value.ThumbnailBaseUrl.TrimEnd('/')}/{channelId:N}/{streamId:N}.jpg?v={version}";
    }
}

/// <summary><c>ffmpeg -i &lt;m3u8&gt; -frames:v 1 -f image2 pipe:1</c>, with a time limit.</summary>
public sealed partial class FfmpegFrameGrabber(IOptions<StreamOptions> options, ILogger<FfmpegFrameGrabber> logger) : IFrameGrabber
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public async Task<byte[]?> GrabAsync(string playlistUrl, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.FfmpegPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-hide_banner", "-loglevel", "error", "-y", "-i", playlistUrl,
            "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", "-q:v", "3", "pipe:1",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Limit);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            LogNoFfmpeg(e, options.Value.FfmpegPath);
            return null;
        }

        using (process)
        {
            process.StandardInput.Close();
            using var output = new MemoryStream();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
            var errors = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await copy;
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }

            if (process.ExitCode != 0 || output.Length == 0)
            {
                LogGrabFailed(process.ExitCode, (await errors).Trim());
                return null;
            }

            return output.ToArray();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot run {Ffmpeg} for stream thumbnails")]
    private partial void LogNoFfmpeg(Exception exception, string ffmpeg);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No thumbnail frame (ffmpeg exit {ExitCode}): {Errors}")]
    private partial void LogGrabFailed(int exitCode, string errors);
}
