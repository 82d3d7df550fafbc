using System.Diagnostics;
using System.Text;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// The real Api (with its co-hosted silo, or as a client of separate silos) or a standalone Silo
/// as a child process on loopback ports, configured the way an operator would: through <c>WG_</c>
/// environment variables. Tests can stop and start it again to prove state lives in PostgreSQL.
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly string project;
    private readonly string assembly;
    private readonly Dictionary<string, string> environment;
    private readonly StringBuilder output = new();
    private Process? process;

    /// <param name="port">The HTTP port; a free one when null (pass one when settings must name the Api's own URL).</param>
    public ApiProcess(IDictionary<string, string> settings, string project = "Api", string assembly = "WgStream.Api.dll", int? port = null)
    {
        this.project = project;
        this.assembly = assembly;
        Port = port ?? FreePort.Next();
        environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}",
            ["WG_Cluster__SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Cluster__GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WG_Cluster__ClusterId"] = $"test-{Guid.NewGuid():N}",
            // Tests stand in for a proxy on loopback, to give each client its own address.
            ["WG_Http__TrustedProxies__0"] = "127.0.0.1",
            ["WG_Http__TrustedProxies__1"] = "::1",
            ["Logging__LogLevel__Default"] = "Warning",
            // The host runs in Production, as deployed, which refuses to start without a key.
            ["WG_Streams__KeyEncryptionKey"] = TestKeys.KeyEncryptionKey,
        };
        if (project == "Api")
        {
            // Links in e-mails and notifications lead to this Api, which serves the web client's pages.
            environment["WG_Accounts__PublicBaseUrl"] = $"http://127.0.0.1:{Port}";
        }

        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }
    }

    public static ApiProcess Silo(IDictionary<string, string> settings) => new(settings, "Silo", "WgStream.Silo.dll");

    public int GatewayPort => int.Parse(environment["WG_Cluster__GatewayPort"], System.Globalization.CultureInfo.InvariantCulture);

    public int Port { get; }

    /// <summary>The OS process id while running (benchmarks read its memory).</summary>
    public int? ProcessId => process is { HasExited: false } p ? p.Id : null;

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

    /// <summary>The last <paramref name="characters"/> of <see cref="Output"/>, for a failure message.</summary>
    public string OutputTail(int characters = 6000)
    {
        var all = Output;
        return all.Length <= characters ? all : all[^characters..];
    }

    /// <summary>
    /// Waits until the process has printed <paramref name="text"/>: its console logger writes in the
    /// background, so a line can come a moment after what it reports was observed from outside.
    /// </summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The process never printed \"{text}\". It printed:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    public async Task StartAsync()
    {
        var directory = LocateOutput();
        var start = new ProcessStartInfo("dotnet", Path.Combine(directory, assembly))
        {
            WorkingDirectory = directory,
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
                throw new InvalidOperationException($"{project} exited with {process.ExitCode}:\n{Output}");
            }

            if (await IsReadyAsync(http))
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{project} did not become ready:\n{Output}");
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

    /// <summary>SIGKILL: the process gets no chance to shut down, as in a crash.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>The silo-to-silo port (to tell which silo hosts a grain).</summary>
    public int SiloPort => int.Parse(environment["WG_Cluster__SiloPort"], System.Globalization.CultureInfo.InvariantCulture);

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

    /// <summary>
    /// Waits until <c>/readyz</c> says ready (an Api with the web client's build warms itself up
    /// first), as a load balancer would before sending traffic; returns how long that took.
    /// </summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan limit)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                return watch.Elapsed;
            }

            if (watch.Elapsed > limit)
            {
                throw new TimeoutException($"The Api did not become ready within {limit}: {await response.Content.ReadAsStringAsync()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The Api is ready when /healthz answers; a silo when its gateway accepts connections.</summary>
    private async Task<bool> IsReadyAsync(HttpClient http)
    {
        try
        {
            if (project == "Api")
            {
                return (await http.GetAsync("/healthz")).IsSuccessStatusCode;
            }

            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(System.Net.IPAddress.Loopback, GatewayPort);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private string LocateOutput()
    {
        var directory = Path.Combine(RepoPaths.Root, project, "bin", RepoPaths.Configuration, RepoPaths.Framework);
        return File.Exists(Path.Combine(directory, assembly))
            ? directory
            : throw new FileNotFoundException($"Build {project} first; looked in {directory}.");
    }
}
