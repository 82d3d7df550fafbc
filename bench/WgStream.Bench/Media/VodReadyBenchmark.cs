using System.Diagnostics;
using System.Globalization;

namespace WgStream.Bench.Media;

/// <summary>
/// Past broadcasts: how long after a broadcast ends its VOD is listed and playable, and what the
/// recorder (an ffmpeg remuxing the relayed stream, no encoding) costs while live. ffmpeg publishes
/// like OBS (854×480 30 fps, 1.5 Mbit/s, 1 s keyframes) for <c>--seconds</c>, then stops with 'q'; the
/// clock runs from its exit until <c>videos(channelId)</c> lists the new video with a playlist the
/// Api serves. The recorder's CPU is read from /proc for the ffmpeg writing <c>rec.m3u8</c>.
/// </summary>
public static class VodReadyBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var seconds = BenchArgs.Int(args, "--seconds", 30);
        var runs = BenchArgs.Int(args, "--runs", 3);
        await using var server = await MediaBenchServer.StartAsync("vod_bench");
        Console.WriteLine($"vod-ready: {runs} broadcasts of {seconds} s (854x480 30 fps, 1.5 Mbit/s), shipped defaults (4 s segments, local media store), {Environment.ProcessorCount} cores");
        Console.WriteLine("run | recorded | segments | ready after end | recorder CPU (share of one core)");
        using var http = new HttpClient { BaseAddress = server.ApiUrl };
        for (var run = 1; run <= runs; run++)
        {
            var before = await CountAsync(server);
            using var publisher = Publish($"{server.IngestUrl}/{server.StreamKey}");
            await WaitAsync(async () => (await server.GraphQLAsync("query($u: String!) { channel(username: $u) { isLive } }", new { u = server.Username }))
                .GetProperty("channel").GetProperty("isLive").GetBoolean(), TimeSpan.FromSeconds(30), "the channel never went live");
            var (recorder, startTicks) = await RecorderAsync(TimeSpan.FromSeconds(20));
            var live = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            var cpu = CpuSeconds(recorder) - startTicks;
            var share = cpu / live.Elapsed.TotalSeconds;

            await publisher.StandardInput.WriteAsync('q');
            await publisher.StandardInput.FlushAsync();
            await publisher.WaitForExitAsync();
            var ended = Stopwatch.StartNew();
            System.Text.Json.JsonElement video = default;
            await WaitAsync(async () =>
            {
                var edges = (await server.GraphQLAsync("query($c: ID!) { videos(channelId: $c, first: 50) { edges { node { durationSeconds playlistUrl } } } }", new { c = server.ChannelId }))
                    .GetProperty("videos").GetProperty("edges");
                if (edges.GetArrayLength() <= before)
                {
                    return false;
                }

                video = edges[0].GetProperty("node");
                return true;
            }, TimeSpan.FromSeconds(60), "no video appeared");
            var readyAfter = ended.Elapsed;
            var playlist = await http.GetStringAsync(video.GetProperty("playlistUrl").GetString());
            var segments = playlist.Split('\n').Count(l => l.EndsWith(".ts", StringComparison.Ordinal));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run} | {video.GetProperty("durationSeconds").GetDouble():0.0} s | {segments} | {readyAfter.TotalMilliseconds:N0} ms | {share * 100:0.0} % ({cpu:0.00} s CPU over {live.Elapsed.TotalSeconds:0.0} s)"));
        }
    }

    private static async Task<int> CountAsync(MediaBenchServer server) =>
        (await server.GraphQLAsync("query($c: ID!) { videos(channelId: $c, first: 50) { edges { cursor } } }", new { c = server.ChannelId }))
            .GetProperty("videos").GetProperty("edges").GetArrayLength();

    private static Process Publish(string url)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[]
        {
            "-hide_banner", "-loglevel", "error", "-nostats", "-re",
            "-f", "lavfi", "-i", "testsrc=size=854x480:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
            "-b:v", "1500k", "-maxrate", "1500k", "-bufsize", "3000k", "-g", "30",
            "-c:a", "aac", "-b:a", "64k", "-f", "flv", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
    }

    /// <summary>The recorder's ffmpeg (the one writing <c>rec.m3u8</c>) and its CPU seconds so far.</summary>
    private static async Task<(int Pid, double CpuSeconds)> RecorderAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), out var pid))
                {
                    continue;
                }

                try
                {
                    var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline"));
                    if (commandLine.StartsWith("ffmpeg\0", StringComparison.Ordinal) && commandLine.Contains("rec.m3u8", StringComparison.Ordinal))
                    {
                        return (pid, CpuSeconds(pid));
                    }
                }
                catch (IOException)
                {
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("the recorder's ffmpeg did not start");
    }

    /// <summary>utime + stime of a process from /proc/PID/stat, in seconds (USER_HZ is 100 on Linux).</summary>
    private static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException(what);
            }

            await Task.Delay(100);
        }
    }
}
