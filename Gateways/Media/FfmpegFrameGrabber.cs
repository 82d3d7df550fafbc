using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace WgStream.Gateways.Media;

/// <summary>
/// <c>ffmpeg -i &lt;m3u8&gt; -frames:v 1 -f image2 pipe:1</c>, with a time limit. Which ffmpeg is the
/// caller's setting (<c>Streams:FfmpegPath</c>), handed in as a path so that this adapter knows
/// nothing of the grains' options.
/// </summary>
public sealed partial class FfmpegFrameGrabber(string ffmpegPath, ILogger<FfmpegFrameGrabber> logger) : IFrameGrabber
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public async Task<byte[]?> GrabAsync(string playlistUrl, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ffmpegPath)
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
            LogNoFfmpeg(e, ffmpegPath);
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
