using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WgStream.Tests.Infrastructure;

/// <summary>
/// The real Janus (Debian's package) for tests and benches, from deploy/janus/*.template rendered into a temporary
/// directory, run as a child process on loopback: ICE only on <c>lo</c>, no STUN or TURN, RTP on a
/// block of ports of its own.
/// </summary>
public sealed class JanusProcess : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private Process? process;

    public JanusProcess()
    {
        Directory = Path.Combine(Path.GetTempPath(), $"wg-janus-{Guid.NewGuid():N}");
        // A block of 40 RTP ports no other test's Janus uses.
        var first = 30_000 + (Random.Shared.Next(0, 500) * 40);
        RtpPortRange = $"{first}-{first + 39}";
    }

    public string Directory { get; }

    public int HttpPort { get; } = FreePort.Next();

    public string TokenSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string AdminKey { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public string RtpPortRange { get; }

    public string Url => $"http://127.0.0.1:{HttpPort}/janus";

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

    /// <summary>What the Api needs to make mountpoints on this Janus.</summary>
    public IReadOnlyDictionary<string, string> ApiSettings => new Dictionary<string, string>
    {
        ["WG_Streams__Janus__Url"] = Url,
        ["WG_Streams__Janus__TokenSecret"] = TokenSecret,
        ["WG_Streams__Janus__AdminKey"] = AdminKey,
    };

    public async Task StartAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var libDirectory = System.IO.Directory.GetDirectories("/usr/lib").Select(d => Path.Combine(d, "janus")).FirstOrDefault(d => System.IO.Directory.Exists(Path.Combine(d, "plugins")))
            ?? throw new InvalidOperationException("Janus is not installed (no /usr/lib/*/janus/plugins): run ./wg services");
        foreach (var template in System.IO.Directory.GetFiles(Path.Combine(RepoPaths.Root, "deploy", "janus"), "*.template"))
        {
            var config = (await File.ReadAllTextAsync(template))
                .Replace("@@CONFIGS@@", Directory, StringComparison.Ordinal)
                .Replace("@@LIBDIR@@", libDirectory, StringComparison.Ordinal)
                .Replace("@@TOKEN_SECRET@@", TokenSecret, StringComparison.Ordinal)
                .Replace("@@ADMIN_SECRET@@", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), StringComparison.Ordinal)
                .Replace("@@ADMIN_KEY@@", AdminKey, StringComparison.Ordinal)
                .Replace("@@RTP_PORT_RANGE@@", RtpPortRange, StringComparison.Ordinal)
                .Replace("@@ICE_ENFORCE_LIST@@", "lo", StringComparison.Ordinal)
                .Replace("@@HTTP_PORT@@", HttpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("@@HTTP_IP@@", "127.0.0.1", StringComparison.Ordinal)
                .Replace("@@ALLOW_ORIGIN@@", "*", StringComparison.Ordinal);
            if (config.Contains("@@", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{template} has a placeholder this renderer does not fill");
            }

            await File.WriteAllTextAsync(Path.Combine(Directory, Path.GetFileNameWithoutExtension(template)), config);
        }

        var start = new ProcessStartInfo("janus") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-C", Path.Combine(Directory, "janus.jcfg"), "-F", Directory })
        {
            start.ArgumentList.Add(argument);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("janus did not start");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                // /info answers without a token.
                using var response = await http.GetAsync($"{Url}/info");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"janus exited: {Output}");
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Janus did not answer on {Url}: {Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process?.Dispose();
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
}
