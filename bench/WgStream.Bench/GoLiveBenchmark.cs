using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using WgStream.Bench.Media;

namespace WgStream.Bench;

/// <summary>
/// Go-live latency: from the moment an encoder starts publishing to the moment a viewer's
/// <c>streamStatusChanged</c> subscription (graphql-transport-ws) says LIVE. The real pieces: the
/// Api with its co-hosted silo (in this process), nginx-rtmp rendered from the deploy template, and
/// ffmpeg as the encoder. Also measured: the Api's own share, from nginx's on_publish POST to the event.
/// </summary>
public static class GoLiveBenchmark
{
    public static async Task RunAsync(string[] args)
    {
        var runs = BenchArgs.Int(args, "--runs", 10);
        await using var server = await MediaBenchServer.StartAsync("golive_bench");
        Console.WriteLine($"go-live: {runs} runs, ffmpeg → nginx-rtmp → Api (co-hosted silo) → graphql-transport-ws subscriber, {Environment.ProcessorCount} cores");
        var encoder = new List<double>();
        var api = new List<double>();
        var subscriber = await Subscriber.ConnectAsync(new Uri($"ws://127.0.0.1:{server.ApiPort}/graphql"), server.ChannelId);
        using var ingest = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.ApiUrl };
        for (var run = 0; run < runs; run++)
        {
            // 1. The whole path, from launching the encoder.
            var started = Stopwatch.GetTimestamp();
            using var ffmpeg = StartFfmpeg($"{server.IngestUrl}/{server.StreamKey}");
            await subscriber.WaitForAsync("LIVE");
            encoder.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            ffmpeg.StandardInput.Write('q');
            ffmpeg.StandardInput.Flush();
            await subscriber.WaitForAsync("OFFLINE");
            await ffmpeg.WaitForExitAsync();

            // 2. The Api's share: on_publish as nginx posts it, to the event.
            var form = new Dictionary<string, string> { ["app"] = "live", ["name"] = server.StreamKey, ["clientid"] = $"{1000 + run}", ["tcurl"] = "rtmp://bench/live", ["call"] = "publish" };
            started = Stopwatch.GetTimestamp();
            using (var response = await ingest.PostAsync($"/ingest/rtmp/publish?secret={server.IngestSecret}", new FormUrlEncodedContent(form)))
            {
                if ((int)response.StatusCode != 302)
                {
                    throw new InvalidOperationException($"on_publish answered {(int)response.StatusCode}");
                }
            }

            await subscriber.WaitForAsync("LIVE");
            api.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            form["call"] = "publish_done";
            (await ingest.PostAsync($"/ingest/rtmp/publish-done?secret={server.IngestSecret}", new FormUrlEncodedContent(form))).Dispose();
            await subscriber.WaitForAsync("OFFLINE");
        }

        await subscriber.DisposeAsync();
        Report("ffmpeg start → LIVE event (RTMP handshake, on_publish, grains, stream)", encoder);
        Report("on_publish POST → LIVE event (Api and grains only)", api);
    }

    private static void Report(string name, List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-72} n={sorted.Length}  min {sorted[0],7:F1} ms  p50 {sorted[sorted.Length / 2],7:F1} ms  max {sorted[^1],7:F1} ms"));
    }

    private static Process StartFfmpeg(string url)
    {
        var start = new ProcessStartInfo("ffmpeg") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[]
        {
            "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30", "-f", "lavfi", "-i", "sine",
            "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "60", "-c:a", "aac", "-f", "flv", url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
    }

    /// <summary>A viewer's graphql-transport-ws subscription to one channel's status.</summary>
    private sealed class Subscriber : IAsyncDisposable
    {
        private readonly ClientWebSocket socket = new();

        public static async Task<Subscriber> ConnectAsync(Uri uri, string channelId)
        {
            var subscriber = new Subscriber();
            subscriber.socket.Options.AddSubProtocol("graphql-transport-ws");
            await subscriber.socket.ConnectAsync(uri, CancellationToken.None);
            await subscriber.SendAsync(new { type = "connection_init" });
            await subscriber.ReceiveAsync(); // connection_ack
            await subscriber.SendAsync(new
            {
                id = "1",
                type = "subscribe",
                payload = new { query = "subscription($c: ID!) { streamStatusChanged(channelId: $c) { kind } }", variables = new { c = channelId } },
            });
            return subscriber;
        }

        public async Task WaitForAsync(string kind)
        {
            while (true)
            {
                var message = await ReceiveAsync();
                if (message.GetProperty("type").GetString() == "next"
                    && message.GetProperty("payload").GetProperty("data").GetProperty("streamStatusChanged").GetProperty("kind").GetString() == kind)
                {
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // The server may drop the connection rather than echo the close; we are done either way.
            }

            socket.Dispose();
        }

        private Task SendAsync(object message) =>
            socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, CancellationToken.None);

        private async Task<JsonElement> ReceiveAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var buffer = new byte[16 * 1024];
            using var message = new MemoryStream();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                }
            }
        }
    }
}
