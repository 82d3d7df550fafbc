using System.Diagnostics;
using System.Text.Json;

namespace WgStream.Tests.Infrastructure;

/// <summary>A Node script from tests/js that prints one JSON object per line; <c>{"error": ...}</c> fails the test.</summary>
public sealed class NodeScript : IDisposable
{
    private readonly Process process;

    private NodeScript(Process process) => this.process = process;

    public static NodeScript Start(string script, Dictionary<string, string> environment)
    {
        var path = Path.Combine(RepoPaths.Root, "tests", "js", script);
        var start = new ProcessStartInfo("node", path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new NodeScript(Process.Start(start)!);
    }

    public async Task<JsonElement> ReadAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(cts.Token);
        if (line is null)
        {
            Assert.Fail($"node exited: {await process.StandardError.ReadToEndAsync()}");
        }

        var json = JsonDocument.Parse(line).RootElement.Clone();
        Assert.False(json.TryGetProperty("error", out var error), $"node script failed: {error}");
        return json;
    }

    /// <summary>Waits for the script to finish; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        process.Dispose();
    }
}
