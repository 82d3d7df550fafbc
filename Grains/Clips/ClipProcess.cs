using System.Diagnostics;
using System.Text;

namespace WgStream.Grains.Clips;

/// <summary>What a finished ffmpeg or ffprobe run left: its exit code, its output and the end of its error output.</summary>
public sealed record ClipProcessResult(int ExitCode, string Output, string Errors);

/// <summary>Runs ffmpeg or ffprobe to its end, arguments passed as a list (never through a shell), killed when cancelled.</summary>
public static class ClipProcess
{
    /// <summary>Error output kept for the log: ffmpeg can print a line per packet on a broken input.</summary>
    private const int MaxErrorChars = 2000;

    /// <summary>Standard output kept: ffprobe's answer is a line.</summary>
    private const int MaxOutputChars = 4096;

    public static async Task<ClipProcessResult> RunAsync(string path, IEnumerable<string> arguments, CancellationToken cancellationToken)
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

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{path} did not start.");
        process.StandardInput.Close();
        var output = ReadBoundedAsync(process.StandardOutput, MaxOutputChars, keepEnd: false);
        var errors = ReadBoundedAsync(process.StandardError, MaxErrorChars, keepEnd: true);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new ClipProcessResult(process.ExitCode, await output, await errors);
    }

    /// <summary>Reads a stream to its end keeping at most <paramref name="max"/> characters (its start or its end), so a chatty process costs no memory.</summary>
    private static async Task<string> ReadBoundedAsync(StreamReader reader, int max, bool keepEnd)
    {
        var kept = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            kept.Append(buffer, 0, read);
            if (kept.Length > max * 2)
            {
                if (keepEnd)
                {
                    kept.Remove(0, kept.Length - max);
                }
                else
                {
                    kept.Length = max;
                }
            }
        }

        var text = kept.ToString();
        return text.Length <= max ? text : keepEnd ? text[^max..] : text[..max];
    }
}
