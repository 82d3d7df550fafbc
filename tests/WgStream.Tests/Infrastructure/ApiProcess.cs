using System.Diagnostics;
using System.Text;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// The real Api (with its co-hosted silo) as a child process on loopback ports, configured the way
/// an operator would: through <c>WG_</c> environment variables. Tests can stop and start it again
/// to prove state lives in PostgreSQL.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> environment;
    private readonly StringBuilder output = new();
    private Process? process;

    public ApiProcess(IDictionary<string, string> settings)
    {
        Port = FreePort.Next();
        environment = new Dictionary<string, string>(settings)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["WG_Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Cluster__ClusterId"] = $"test-{Guid.NewGuid():N}",
            ["WG_Http__TrustForwardedHeaders"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        };
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

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

    public async Task StartAsync()
    {
        var apiDirectory = LocateApiOutput();
        var start = new ProcessStartInfo("dotnet", Path.Combine(apiDirectory, "WgStream.Api.dll"))
        {
            WorkingDirectory = apiDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Api.");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The Api exited with {process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The Api did not become healthy:\n{Output}");
    }

    /// <summary>SIGTERM and wait: the host shuts down gracefully, as on a deploy.</summary>
    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            _ = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

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

    private static string LocateApiOutput()
    {
        var directory = Path.Combine(RepoPaths.Root, "Api", "bin", RepoPaths.Configuration, RepoPaths.Framework);
        return File.Exists(Path.Combine(directory, "WgStream.Api.dll"))
            ? directory
            : throw new FileNotFoundException($"Build the Api first; looked in {directory}.");
    }
}
