using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server, the <c>s3rver</c> npm package (tests/js, installed by <c>npm ci</c>), as a
/// Node child process on a loopback port it picks itself, storing into a temporary directory.
/// Its only account is access key <see cref="AccessKey"/>; it does not check SigV4 signatures, so any secret works.
/// </summary>
public sealed partial class S3Server : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly StringBuilder output = new();
    private Process? process;

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"wg-s3rver-{Guid.NewGuid():N}");

    public Uri ServiceUrl { get; private set; } = null!;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "js", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"{script} is missing: run `npm ci` in tests/js (./wg test does).");
        }

        System.IO.Directory.CreateDirectory(Directory);

        // Port 0: the server binds a free port and prints it, so there is no race for a port we picked.
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--directory", Directory, "--address", "127.0.0.1", "--port", "0", "--silent" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node.");
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } match)
            {
                listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(30)));
        if (first != listening.Task)
        {
            throw new InvalidOperationException($"s3rver did not start ({(first == exited ? $"exit code {process.ExitCode}" : "timed out")}):\n{Output}");
        }

        ServiceUrl = new Uri($"http://127.0.0.1:{listening.Task.Result}");

        // And it answers S3 requests: an anonymous ListBuckets.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(ServiceUrl);
                if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains("ListAllMyBucketsResult", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"s3rver at {ServiceUrl} does not answer:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"S3rver listening on [^:\s]+:(\d+)")]
    private static partial Regex Listening();
}
