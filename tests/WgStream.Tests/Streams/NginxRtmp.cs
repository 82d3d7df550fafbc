using System.Diagnostics;
using System.Text;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Streams;

/// <summary>
/// The real nginx with libnginx-mod-rtmp, from deploy/nginx-rtmp/nginx.conf.template rendered into a
/// temporary directory, run as a child process (<c>daemon off; master_process off;</c>: one process,
/// so a test can kill the whole ingest at once) with its callbacks pointed at the test's Api.
/// </summary>
public sealed class NginxRtmp : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private Process? process;

    private NginxRtmp(string directory, int rtmpPort, int httpPort)
    {
        Directory = directory;
        RtmpPort = rtmpPort;
        HttpPort = httpPort;
    }

    public string Directory { get; }

    public int RtmpPort { get; }

    public int HttpPort { get; }

    public string HlsDirectory => Path.Combine(Directory, "hls");

    public string IngestUrl => $"rtmp://127.0.0.1:{RtmpPort}/live";

    public string ErrorLog => File.Exists(Path.Combine(Directory, "error.log")) ? File.ReadAllText(Path.Combine(Directory, "error.log")) : string.Empty;

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

    /// <summary>A fresh directory for an ingest: <c>hls/</c> under it is what the Api's HLS worker must write (<c>Streams:HlsPath</c>).</summary>
    public static string NewDirectory() => Path.Combine(Path.GetTempPath(), $"wg-nginx-{Guid.NewGuid():N}");

    public static async Task<NginxRtmp> StartAsync(int apiPort, string secret, int? rtmpPort = null, int? httpPort = null, string updateInterval = "1s", string? directory = null)
    {
        directory ??= NewDirectory();
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "hls"));
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "temp"));
        var nginx = new NginxRtmp(directory, rtmpPort ?? FreePort.Next(), httpPort ?? FreePort.Next());
        var template = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "nginx-rtmp", "nginx.conf.template"));
        var config = template
            .Replace("@@RTMP_MODULE@@", "/usr/lib/nginx/modules/ngx_rtmp_module.so", StringComparison.Ordinal)
            .Replace("@@USER_DIRECTIVE@@", string.Empty, StringComparison.Ordinal)
            .Replace("@@PREFIX@@", directory, StringComparison.Ordinal)
            .Replace("@@RTMP_LISTEN@@", $"127.0.0.1:{nginx.RtmpPort}", StringComparison.Ordinal)
            .Replace("@@RTMP_PORT@@", nginx.RtmpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@@HTTP_LISTEN@@", $"127.0.0.1:{nginx.HttpPort}", StringComparison.Ordinal)
            .Replace("@@API@@", $"127.0.0.1:{apiPort}", StringComparison.Ordinal)
            .Replace("@@SECRET@@", secret, StringComparison.Ordinal)
            .Replace("@@UPDATE_INTERVAL@@", updateInterval, StringComparison.Ordinal)
            .Replace("@@HLS_PATH@@", nginx.HlsDirectory, StringComparison.Ordinal)
            .Replace("@@PLAY_ALLOW@@", "127.0.0.1", StringComparison.Ordinal);
        Assert.DoesNotContain("@@", config, StringComparison.Ordinal);
        var path = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(path, config);
        await nginx.RunAsync(path);
        return nginx;
    }

    /// <summary>SIGKILL: the ingest dies without telling anyone (no on_publish_done, no more on_update).</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task RunAsync(string config)
    {
        var start = new ProcessStartInfo("nginx")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", Directory, "-c", config, "-g", "daemon off; master_process off;" })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {Output}\n{ErrorLog}");
            }

            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{HttpPort}/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"nginx did not come up: {Output}\n{ErrorLog}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}

/// <summary>An ffmpeg publishing a test pattern over RTMP, as OBS would.</summary>
public sealed class FfmpegPublisher : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder errors = new();

    private FfmpegPublisher(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
    }

    public bool HasExited => process.HasExited;

    public string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    /// <summary>
    /// Publishes what OBS sends (H.264 in 4:2:0, which browsers decode, and AAC, over FLV/RTMP) at
    /// real-time speed, from a synthetic test pattern and tone, at a low bitrate, with a keyframe
    /// every second (OBS: Keyframe Interval 1 s), which is what 1 s HLS segments need.
    /// </summary>
    public static FfmpegPublisher Start(string url, string size = "640x360")
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-hide_banner", "-loglevel", "error", "-re",
            "-f", "lavfi", "-i", $"testsrc=size={size}:rate=30",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-b:v", "400k", "-maxrate", "400k", "-bufsize", "800k", "-g", "30",
            "-c:a", "aac", "-b:a", "64k", "-f", "flv", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        return new FfmpegPublisher(Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start"));
    }

    /// <summary>Waits for ffmpeg to end by itself (a refused publish); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>Stops the way a user does: 'q' makes ffmpeg close the RTMP stream properly.</summary>
    public async Task StopAsync()
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            await process.StandardInput.WriteAsync('q');
            await process.StandardInput.FlushAsync();
        }
        catch (IOException)
        {
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
