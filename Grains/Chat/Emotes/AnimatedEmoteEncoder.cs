using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WgStream.GrainInterfaces.Common;
using WgStream.GrainInterfaces.Chat;

namespace WgStream.Grains.Chat.Emotes;

/// <summary>
/// Encodes an animated emote's frames, already decoded, composed and drawn at each size as PNG files
/// by <see cref="EmoteImageProcessor"/>, into looping animated WebP with ffmpeg's
/// <c>libwebp_anim</c>: one ffmpeg for all sizes, on one thread, stopped after
/// <see cref="EmoteOptions.EncodeTimeout"/>. ffmpeg never reads the upload itself, only frames we
/// drew, so a crafted file meets SkiaSharp's decoders alone (as still images do), and animated
/// WebP, which Debian's ffmpeg 5.1 cannot decode, works like GIF.
/// </summary>
public sealed partial class AnimatedEmoteEncoder(IOptions<EmoteOptions> options, ILogger<AnimatedEmoteEncoder> logger)
{
    /// <summary>Lossy, as animated emotes are usually drawings and photos alike; 85 keeps lines clean at 28 px.</summary>
    private const int Quality = 85;

    /// <summary>
    /// Writes <c>{size}/000.png …</c> listed with their durations, runs ffmpeg and returns each size's
    /// WebP, its frames adding up to the loop's length. <paramref name="directory"/> holds
    /// <c>{size}/{frame:D3}.png</c> for every size and frame.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, byte[]>> EncodeAsync(string directory, IReadOnlyList<int> sizes, IReadOnlyList<int> durations, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.Value.FfmpegPath)
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-filter_threads", "1" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var size in sizes)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, $"{size}.txt"), ConcatList(size, durations), cancellationToken);

            // -safe 0 lets the list set each picture's frame rate (below); the list and the names in it are ours.
            foreach (var argument in new[] { "-threads", "1", "-f", "concat", "-safe", "0", "-i", $"{size}.txt" })
            {
                start.ArgumentList.Add(argument);
            }
        }

        for (var input = 0; input < sizes.Count; input++)
        {
            foreach (var argument in new[]
            {
                "-map", $"{input}:v", "-c:v", "libwebp_anim", "-lossless", "0", "-quality", Quality.ToString(CultureInfo.InvariantCulture),
                "-pix_fmt", "bgra", "-loop", "0", "-fps_mode", "passthrough", "-threads", "1", "-f", "webp", $"{sizes[input]}.webp",
            })
            {
                start.ArgumentList.Add(argument);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.EncodeTimeout);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            LogNoFfmpeg(e, options.Value.FfmpegPath);
            throw new WgException(ErrorCodes.Internal, "Animated emotes cannot be processed on this server right now.");
        }

        using (process)
        {
            process.StandardInput.Close();
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
                cancellationToken.ThrowIfCancellationRequested();
                LogTimedOut(options.Value.EncodeTimeout);
                var seconds = Math.Max(1, (int)Math.Ceiling(options.Value.EncodeTimeout.TotalSeconds / 2));
                throw WgException.Busy($"The server is busy encoding other emotes; try again in {seconds} s.", DateTimeOffset.UtcNow.AddSeconds(seconds));
            }

            await output;
            if (process.ExitCode != 0)
            {
                // It read only frames we wrote: its failure is ours, not the uploader's.
                LogFailed(process.ExitCode, (await errors).Trim());
                throw new WgException(ErrorCodes.Internal, "The animated emote could not be encoded.");
            }
        }

        var total = durations.Sum();
        var encoded = new Dictionary<int, byte[]>();
        foreach (var size in sizes)
        {
            var webp = await File.ReadAllBytesAsync(Path.Combine(directory, $"{size}.webp"), cancellationToken);
            AnimatedWebP.SetLoopDuration(webp, total);
            encoded[size] = webp;
        }

        return encoded;
    }

    /// <summary>
    /// ffconcat: each frame for its duration, read at a 1 ms time base (pictures default to 1/25 s, which
    /// would round a 70 ms frame to 80). The last frame's duration is not passed on by the encoder;
    /// <see cref="AnimatedWebP.SetLoopDuration"/> sets it afterwards.
    /// </summary>
    private static string ConcatList(int size, IReadOnlyList<int> durations)
    {
        var list = new StringBuilder("ffconcat version 1.0\n");
        for (var frame = 0; frame < durations.Count; frame++)
        {
            list.Append(CultureInfo.InvariantCulture, $"file '{size}/{frame:D3}.png'\noption framerate 1000\nduration {durations[frame] / 1000.0:0.000}\n");
        }

        return list.ToString();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot run {Ffmpeg} to encode animated emotes")]
    private partial void LogNoFfmpeg(Exception exception, string ffmpeg);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ffmpeg took longer than {Timeout} to encode an animated emote and was stopped")]
    private partial void LogTimedOut(TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "ffmpeg could not encode an animated emote (exit {ExitCode}): {Errors}")]
    private partial void LogFailed(int exitCode, string errors);
}
