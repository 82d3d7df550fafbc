using System.Diagnostics;

namespace WgStream.Api.Streams.Transcoding;

/// <summary>Starting a broadcast's ffmpeg (WebRTC relay, recorder) with its error output passed line by line to the caller's log.</summary>
public static class FfmpegProcess
{
    /// <summary>
    /// Starts <paramref name="path"/> with stdin open (for 'q'), each non-empty stderr line (cut to 300
    /// characters) given to <paramref name="onError"/>, and stdout drained so ffmpeg never blocks on it.
    /// </summary>
    public static Process Start(string path, IEnumerable<string> arguments, Action<string> onError)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                onError(line.Length > 300 ? line[..300] : line);
            }
        };
        process.BeginErrorReadLine();
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
