using System.Diagnostics;
using System.Globalization;
using Microsoft.Playwright;

namespace WgStream.Bench.Media;

/// <summary>
/// Glass-to-glass latency of live HLS and of WebRTC through Janus in Chromium: ffmpeg publishes like OBS with a clock drawn into
/// the picture (16 black-or-white blocks: tenths of a second since its first frame), the channel
/// page of the real web client plays it, and every frame Chromium shows is read back off a canvas.
/// The latency of a frame is when Chromium presented it minus when the encoder produced it: the
/// encoder's media clock is tied to the wall clock from its own <c>-progress</c> reports (the
/// smallest wall − media offset seen), so the encoder's connect time is not counted against us.
/// </summary>
public static class GlassToGlassBenchmark
{
    /// <summary>The clock: 16 blocks of 20×24 px in the top-left corner of an 854×480 picture.</summary>
    private const int Bits = 16;
    private const int BitWidth = 20;
    private const int ClockHeight = 24;
    private const int Width = 854;

    public static async Task RunAsync(string[] args)
    {
        var seconds = BenchArgs.Int(args, "--seconds", 20);
        var warmUp = BenchArgs.Int(args, "--warm-up", 10);
        await using var server = await MediaBenchServer.StartAsync("g2g_bench", withJanus: true);
        Console.WriteLine($"glass-to-glass: ffmpeg ({Width}x480, 1 s keyframes) → nginx-rtmp → HLS worker → nginx → hls.js in Chromium, {Environment.ProcessorCount} cores; "
            + $"{warmUp} s warm-up, then {seconds} s per choice");

        using var publisher = new ClockPublisher($"{server.IngestUrl}/{server.StreamKey}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            // WebRTC from Janus on loopback only: loopback candidates, real addresses rather than mDNS names.
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required",
                "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = server.ApiUrl.ToString() });
        await page.GotoAsync($"/{server.Username}");
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-testid=player]'); return v && v.readyState >= 2 && v.currentTime > 0; }",
            null, new() { Timeout = 60_000, PollingInterval = 250 });
        await Task.Delay(TimeSpan.FromSeconds(warmUp));

        foreach (var choice in new[] { "auto", "source", "360p", "webrtc" })
        {
            if (choice != "auto")
            {
                await page.GetByTestId("quality").SelectOptionAsync(choice);
                await Task.Delay(TimeSpan.FromSeconds(5)); // the switch happens at the next segment, then the edge settles
            }

            var frames = await page.EvaluateAsync<double[][]>(SamplerScript, new { seconds, bits = Bits, bitWidth = BitWidth, clockHeight = ClockHeight, width = Width });
            var origin = publisher.WallAtMediaZero ?? throw new InvalidOperationException("the encoder reported no progress");
            var latencies = frames
                .Where(f => f[1] >= 0)
                .Select(f => f[0] - (origin + TenthsToMs(f[1], f[0] - origin)))
                .Order()
                .ToArray();
            var heights = string.Join("/", frames.Select(f => (int)f[2]).Distinct());
            var mode = await page.GetByTestId("player").GetAttributeAsync("data-mode");
            if (choice == "webrtc" && mode != "webrtc")
            {
                Console.WriteLine($"{choice,-7} fell back to HLS: {await page.GetByTestId("low-latency-fallback").TextContentAsync()}");
                continue;
            }
            if (latencies.Length == 0)
            {
                Console.WriteLine($"{choice,-7} no readable frames ({frames.Length} presented)");
                continue;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{choice,-7} {heights}p  frames {latencies.Length,4} of {frames.Length,4}  p50 {Pct(latencies, 0.5),6:F0} ms  p90 {Pct(latencies, 0.9),6:F0} ms  min {latencies[0],6:F0} ms  max {latencies[^1],6:F0} ms"));
        }
    }

    /// <summary>The clock counts tenths modulo 2^16 (6,553.6 s): unwrap it to the media time nearest the one expected.</summary>
    private static double TenthsToMs(double tenths, double expectedMs)
    {
        const double Cycle = 65536 * 100.0;
        var ms = tenths * 100;
        return ms + (Math.Round((expectedMs - ms) / Cycle) * Cycle);
    }

    private static double Pct(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    /// <summary>
    /// For <c>seconds</c>, on every frame Chromium presents: [presentation time (epoch ms), clock
    /// tenths or -1 when unreadable, video height]. The blocks scale with the rendition's width.
    /// </summary>
    private const string SamplerScript = """
        ({ seconds, bits, bitWidth, clockHeight, width }) => new Promise(resolve => {
          const video = document.querySelector('[data-testid=player]');
          const canvas = document.createElement('canvas');
          const context = canvas.getContext('2d', { willReadFrequently: true });
          const frames = [];
          const end = performance.now() + seconds * 1000;
          const read = (now, meta) => {
            const w = video.videoWidth, h = video.videoHeight, scale = w / width;
            canvas.width = w; canvas.height = h;
            context.drawImage(video, 0, 0, w, h);
            let value = 0, clear = true;
            for (let i = 0; i < bits; i++) {
              const x = Math.floor((i * bitWidth + bitWidth / 2) * scale), y = Math.floor(clockHeight / 2 * scale);
              const luma = context.getImageData(x, y, 1, 1).data[0];
              if (luma > 80 && luma < 176) clear = false;
              if (luma >= 128) value += 2 ** i;
            }
            frames.push([performance.timeOrigin + meta.expectedDisplayTime, clear ? value : -1, h]);
            if (performance.now() < end) video.requestVideoFrameCallback(read); else resolve(frames);
          };
          video.requestVideoFrameCallback(read);
        })
        """;

    /// <summary>ffmpeg publishing a test picture with the clock, and where its media time zero falls on the wall clock.</summary>
    private sealed class ClockPublisher : IDisposable
    {
        private readonly Process process;
        private readonly Lock gate = new();
        private double? wallAtMediaZero;

        public ClockPublisher(string url)
        {
            // tenths since the first frame, modulo 2^16, one bit per block; the rest of the strip grey-free black/white only.
            var clock = $"color=c=black:s={Bits * BitWidth}x{ClockHeight}:r=30,format=gray,"
                + $"geq=lum='255*mod(floor(mod(floor(T*10),65536)/pow(2,floor(X/{BitWidth}))),2)'";
            var picture = $"testsrc=size={Width}x480:rate=30[bg];{clock},format=yuv420p[clk];[bg][clk]overlay=0:0,format=yuv420p[out0]";
            var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
            foreach (var argument in new[]
            {
                "-hide_banner", "-loglevel", "error", "-nostats", "-progress", "pipe:1", "-stats_period", "0.5", "-re",
                "-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-b:v", "1500k", "-maxrate", "1500k", "-bufsize", "3000k", "-g", "30",
                "-c:a", "aac", "-b:a", "64k", "-f", "flv", url,
            })
            {
                start.ArgumentList.Add(argument);
            }

            process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
            _ = Task.Run(ReadProgressAsync);
        }

        /// <summary>Epoch milliseconds of the encoder's media time zero (its earliest possible, from the smallest offset reported).</summary>
        public double? WallAtMediaZero
        {
            get
            {
                lock (gate)
                {
                    return wallAtMediaZero;
                }
            }
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            process.Dispose();
        }

        private async Task ReadProgressAsync()
        {
            long? mediaUs = null;
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                if (line.StartsWith("out_time_us=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(12), out var us) && us > 0)
                {
                    mediaUs = us;
                }
                else if (line.StartsWith("progress=", StringComparison.Ordinal) && mediaUs is { } media)
                {
                    var zero = now - (media / 1000.0);
                    lock (gate)
                    {
                        wallAtMediaZero = wallAtMediaZero is { } known ? Math.Min(known, zero) : zero;
                    }
                }
            }
        }
    }
}
