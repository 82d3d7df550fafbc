using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Streams;

namespace WgStream.Grains.Streams;

/// <summary>Where a live stream's thumbnail frame goes (<see cref="MediaThumbnailSink"/>: 640×360 WebP in the media store).</summary>
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
