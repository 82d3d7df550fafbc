using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using WgStream.Api.Hosting;
using WgStream.Grains.Infrastructure.Database;

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
        var admin = Environment.GetEnvironmentVariable("WG_Database__ConnectionString") ?? new DatabaseOptions().ConnectionString;
        var database = $"wgbench_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        var work = Path.Combine(Path.GetTempPath(), $"wg-golive-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(work, "hls"));
        Directory.CreateDirectory(Path.Combine(work, "temp"));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        int apiPort = FreePort(), rtmpPort = FreePort(), hlsPort = FreePort();
        Process? nginx = null;
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
            builder.WebHost.UseUrls($"http://127.0.0.1:{apiPort}");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString,
                ["Cluster:SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["Cluster:GatewayPort"] = FreePort().ToString(CultureInfo.InvariantCulture),
                ["Cluster:ClusterId"] = "bench-golive",
                ["Mail:Mode"] = "Pickup",
                ["Mail:PickupDirectory"] = Path.Combine(work, "mail"),
                ["Streams:IngestSecret"] = secret,
                ["Streams:IngestUrl"] = $"rtmp://127.0.0.1:{rtmpPort}/live",
                ["Streams:HlsBaseUrl"] = $"http://127.0.0.1:{hlsPort}/hls",
                ["Streams:HlsPath"] = Path.Combine(work, "hls"),
                ["Streams:HlsSourceUrl"] = $"rtmp://127.0.0.1:{rtmpPort}/hls",
                ["Streams:ThumbnailDirectory"] = Path.Combine(work, "thumbnails"),
                ["Streams:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            });
            builder.AddWgStreamOrleans();
            builder.Services.AddWgStreamApi(builder.Configuration);
            await using var app = builder.Build();
            await app.Services.MigrateDatabaseAsync();
            app.UseWgStreamApi();
            await app.StartAsync();
            nginx = await StartNginxAsync(work, apiPort, rtmpPort, hlsPort, secret);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}") };
            var register = await GraphQLAsync(http, null, "mutation($i: RegisterInput!) { register(input: $i) { token user { id } } }",
                new { i = new { username = "golive_bench", email = "golive@example.test", password = "bench-Pass-1" } });
            var token = register.GetProperty("register").GetProperty("token").GetString()!;
            var channelId = register.GetProperty("register").GetProperty("user").GetProperty("id").GetString()!;
            var key = (await GraphQLAsync(http, token, "{ streamSettings { streamKey } }", null)).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;

            Console.WriteLine($"go-live: {runs} runs, ffmpeg → nginx-rtmp → Api (co-hosted silo) → graphql-transport-ws subscriber, {Environment.ProcessorCount} cores");
            var encoder = new List<double>();
            var server = new List<double>();
            var subscriber = await Subscriber.ConnectAsync(new Uri($"ws://127.0.0.1:{apiPort}/graphql"), channelId);
            for (var run = 0; run < runs; run++)
            {
                // 1. The whole path, from launching the encoder.
                var started = Stopwatch.GetTimestamp();
                using var ffmpeg = StartFfmpeg($"rtmp://127.0.0.1:{rtmpPort}/live/{key}");
                await subscriber.WaitForAsync("LIVE");
                encoder.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                ffmpeg.StandardInput.Write('q');
                ffmpeg.StandardInput.Flush();
                await subscriber.WaitForAsync("OFFLINE");
                await ffmpeg.WaitForExitAsync();

                // 2. The Api's share: on_publish as nginx posts it, to the event.
                using var ingest = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http.BaseAddress };
                var form = new Dictionary<string, string> { ["app"] = "live", ["name"] = key, ["clientid"] = $"{1000 + run}", ["tcurl"] = "rtmp://bench/live", ["call"] = "publish" };
                started = Stopwatch.GetTimestamp();
                using (var response = await ingest.PostAsync($"/ingest/rtmp/publish?secret={secret}", new FormUrlEncodedContent(form)))
                {
                    if ((int)response.StatusCode != 302)
                    {
                        throw new InvalidOperationException($"on_publish answered {(int)response.StatusCode}");
                    }
                }

                await subscriber.WaitForAsync("LIVE");
                server.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                form["call"] = "publish_done";
                (await ingest.PostAsync($"/ingest/rtmp/publish-done?secret={secret}", new FormUrlEncodedContent(form))).Dispose();
                await subscriber.WaitForAsync("OFFLINE");
            }

            await subscriber.DisposeAsync();
            Report("ffmpeg start → LIVE event (RTMP handshake, on_publish, grains, stream)", encoder);
            Report("on_publish POST → LIVE event (Api and grains only)", server);
            await app.StopAsync();
        }
        finally
        {
            if (nginx is { HasExited: false })
            {
                nginx.Kill();
                await nginx.WaitForExitAsync();
            }

            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Report(string name, List<double> samples)
    {
        var sorted = samples.Order().ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-72} n={sorted.Length}  min {sorted[0],7:F1} ms  p50 {sorted[sorted.Length / 2],7:F1} ms  max {sorted[^1],7:F1} ms"));
    }

    private static async Task<Process> StartNginxAsync(string work, int apiPort, int rtmpPort, int hlsPort, string secret)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "deploy", "nginx-rtmp", "nginx.conf.template")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new FileNotFoundException("deploy/nginx-rtmp/nginx.conf.template");
        }

        var config = (await File.ReadAllTextAsync(Path.Combine(root, "deploy", "nginx-rtmp", "nginx.conf.template")))
            .Replace("@@RTMP_MODULE@@", "/usr/lib/nginx/modules/ngx_rtmp_module.so", StringComparison.Ordinal)
            .Replace("@@USER_DIRECTIVE@@", string.Empty, StringComparison.Ordinal)
            .Replace("@@PREFIX@@", work, StringComparison.Ordinal)
            .Replace("@@RTMP_LISTEN@@", $"127.0.0.1:{rtmpPort}", StringComparison.Ordinal)
            .Replace("@@RTMP_PORT@@", rtmpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@@HTTP_LISTEN@@", $"127.0.0.1:{hlsPort}", StringComparison.Ordinal)
            .Replace("@@API@@", $"127.0.0.1:{apiPort}", StringComparison.Ordinal)
            .Replace("@@SECRET@@", secret, StringComparison.Ordinal)
            .Replace("@@UPDATE_INTERVAL@@", "10s", StringComparison.Ordinal)
            .Replace("@@HLS_PATH@@", Path.Combine(work, "hls"), StringComparison.Ordinal)
            .Replace("@@PLAY_ALLOW@@", "127.0.0.1", StringComparison.Ordinal);
        var path = Path.Combine(work, "nginx.conf");
        await File.WriteAllTextAsync(path, config);
        var start = new ProcessStartInfo("nginx") { UseShellExecute = false };
        foreach (var argument in new[] { "-p", work, "-c", path, "-g", "daemon off; master_process off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{hlsPort}/healthz")).IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("nginx did not come up");
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

    private static async Task<JsonElement> GraphQLAsync(HttpClient http, string? token, string query, object? variables)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return root.TryGetProperty("errors", out var errors) ? throw new InvalidOperationException(errors.ToString()) : root.GetProperty("data").Clone();
    }


    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
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
