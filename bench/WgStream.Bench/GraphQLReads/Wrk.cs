using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace WgStream.Bench.GraphQLReads;

/// <summary>
/// Drives <c>wrk</c> (the Debian package; installed when missing, like the other tools the bench
/// needs): one thread, C connections, D seconds, a Lua script for POST bodies. wrk is C and costs far
/// less per request than the server, which matters when both share two cores.
/// </summary>
public static partial class Wrk
{
    public static async Task EnsureInstalledAsync()
    {
        if (File.Exists("/usr/bin/wrk"))
        {
            return;
        }

        Console.WriteLine("installing wrk (Debian package)");
        await RunAsync("apt-get", "install -y wrk", TimeSpan.FromMinutes(5));
    }

    /// <summary>One run against <paramref name="url"/>; a POST with <paramref name="body"/> as JSON when given.</summary>
    public static async Task<WrkResult> RunAsync(Uri url, int connections, TimeSpan duration, string? body, IReadOnlyDictionary<string, string>? headers = null)
    {
        var script = Path.Combine(Path.GetTempPath(), $"wg-wrk-{Guid.NewGuid():N}.lua");
        var lua = new List<string>();
        if (body is not null)
        {
            lua.Add("wrk.method = \"POST\"");
            lua.Add($"wrk.body = {LuaString(body)}");
            lua.Add("wrk.headers[\"Content-Type\"] = \"application/json\"");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            lua.Add($"wrk.headers[{LuaString(name)}] = {LuaString(value)}");
        }

        await File.WriteAllLinesAsync(script, lua);
        try
        {
            var output = await RunAsync(
                "/usr/bin/wrk",
                $"-t1 -c{connections} -d{(int)duration.TotalSeconds}s --latency -s {script} {url}",
                duration + TimeSpan.FromSeconds(30));
            return WrkResult.Parse(output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static string LuaString(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static async Task<string> RunAsync(string file, string arguments, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{file} did not start.");
        using var timeout = new CancellationTokenSource(limit);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {await errors}");
        }

        return await output;
    }
}

/// <summary>What one wrk run reports: requests, non-2xx answers, and the latency percentiles.</summary>
public sealed partial record WrkResult(long Requests, double Seconds, long Non2xx, long SocketErrors, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public double PerSecond => Requests / Seconds;

    public static WrkResult Parse(string output)
    {
        var requests = RequestsLine().Match(output);
        if (!requests.Success)
        {
            throw new InvalidOperationException($"wrk printed no request count:\n{output}");
        }

        var non2xx = Non2xxLine().Match(output);
        var errors = ErrorsLine().Match(output);
        return new WrkResult(
            long.Parse(requests.Groups[1].Value, CultureInfo.InvariantCulture),
            double.Parse(requests.Groups[2].Value, CultureInfo.InvariantCulture),
            non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            errors.Success ? errors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0,
            Percentile(output, "50"),
            Percentile(output, "99"),
            Duration(MaxLine().Match(output).Groups[1].Value));
    }

    private static TimeSpan Percentile(string output, string percent)
    {
        var line = Regex.Match(output, $@"^\s+{percent}%\s+(\S+)", RegexOptions.Multiline);
        return line.Success ? Duration(line.Groups[1].Value) : TimeSpan.Zero;
    }

    /// <summary>wrk prints 812.00us, 1.23ms, 2.01s or 1.5m.</summary>
    private static TimeSpan Duration(string text)
    {
        var match = Regex.Match(text, @"^([\d.]+)(us|ms|s|m)$");
        if (!match.Success)
        {
            return TimeSpan.Zero;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => TimeSpan.FromMicroseconds(value),
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            _ => TimeSpan.FromMinutes(value),
        };
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)s")]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xxLine();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex ErrorsLine();

    [GeneratedRegex(@"Latency\s+\S+\s+\S+\s+(\S+)")]
    private static partial Regex MaxLine();
}
