using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using WgStream.Api.Hosting;
using WgStream.Grains.Infrastructure.Database;
using WgStream.Hosting;
using WgStream.Tests.Infrastructure;

namespace WgStream.Bench.Media;

/// <summary>
/// The media benches' server: a fresh database, the real Api with its co-hosted silo in this
/// process (serving the built web client), nginx-rtmp rendered from the deploy template with its
/// callbacks pointed at it, and the Api's HLS worker writing where that nginx serves; optionally
/// Janus beside them, as <c>./wg run</c> starts it. Shipped defaults otherwise. One account,
/// signed in, with its stream key.
/// </summary>
public sealed class MediaBenchServer : IAsyncDisposable
{
    private readonly string admin;
    private readonly string database;
    private WebApplication? app;
    private Process? nginx;
    private JanusProcess? janus;

    private MediaBenchServer(string admin, string database, string work)
    {
        this.admin = admin;
        this.database = database;
        Work = work;
    }

    public string Work { get; }

    public string IngestSecret { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    public int ApiPort { get; } = FreePort.Next();

    public int RtmpPort { get; } = FreePort.Next();

    public int HlsPort { get; } = FreePort.Next();

    public Uri ApiUrl => new($"http://127.0.0.1:{ApiPort}");

    public string IngestUrl => $"rtmp://127.0.0.1:{RtmpPort}/live";

    public string Username { get; private set; } = "";

    public string ChannelId { get; private set; } = "";

    public string Token { get; private set; } = "";

    public string StreamKey { get; private set; } = "";

    public static async Task<MediaBenchServer> StartAsync(string username, bool withJanus = false)
    {
        var admin = Environment.GetEnvironmentVariable("WG_Database__ConnectionString") ?? new DatabaseOptions().ConnectionString;
        var database = $"wgbench_{Guid.NewGuid():N}";
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        var work = Path.Combine(Path.GetTempPath(), $"wg-media-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(work, "hls"));
        Directory.CreateDirectory(Path.Combine(work, "temp"));
        var server = new MediaBenchServer(admin, database, work);
        try
        {
            if (withJanus)
            {
                server.janus = new JanusProcess();
                await server.janus.StartAsync();
            }

            await server.StartAppAsync();
            server.nginx = await server.StartNginxAsync();
            await server.RegisterAsync(username);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> GraphQLAsync(string query, object? variables = null, string? token = null)
    {
        using var http = new HttpClient { BaseAddress = ApiUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = JsonContent.Create(new { query, variables }) };
        if ((token ?? Token) is { Length: > 0 } bearer)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return root.TryGetProperty("errors", out var errors) ? throw new InvalidOperationException(errors.ToString()) : root.GetProperty("data").Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (nginx is { HasExited: false })
        {
            nginx.Kill();
            await nginx.WaitForExitAsync();
        }

        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        if (janus is not null)
        {
            await janus.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        if (Directory.Exists(Work))
        {
            Directory.Delete(Work, recursive: true);
        }
    }

    private async Task StartAppAsync()
    {
        // The Api project's directory, so the built web client (wwwroot/app) is served as in production.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.Combine(RepoRoot(), "Api") });
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Orleans", LogLevel.Error);
        builder.WebHost.UseUrls(ApiUrl.ToString());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString,
            ["Cluster:SiloPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["Cluster:ClusterId"] = $"bench-media-{Guid.NewGuid():N}",
            ["Mail:Mode"] = "Pickup",
            ["Mail:PickupDirectory"] = Path.Combine(Work, "mail"),
            ["Media:LocalDirectory"] = Path.Combine(Work, "media"),
            ["Streams:IngestSecret"] = IngestSecret,
            ["Streams:IngestUrl"] = IngestUrl,
            ["Streams:HlsBaseUrl"] = $"http://127.0.0.1:{HlsPort}/hls",
            ["Streams:HlsPath"] = Path.Combine(Work, "hls"),
            ["Streams:HlsSourceUrl"] = $"rtmp://127.0.0.1:{RtmpPort}/hls",
            ["Streams:ThumbnailDirectory"] = Path.Combine(Work, "thumbnails"),
            ["Streams:KeyEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        });
        if (janus is not null)
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Streams:Janus:Url"] = janus.Url,
                ["Streams:Janus:TokenSecret"] = janus.TokenSecret,
                ["Streams:Janus:AdminKey"] = janus.AdminKey,
            });
        }

        builder.AddWgStreamOrleans();
        builder.Services.AddWgStreamApi(builder.Configuration);
        app = builder.Build();
        await app.Services.MigrateDatabaseAsync();
        app.UseWgStreamApi();
        await app.StartAsync();
    }

    private async Task RegisterAsync(string username)
    {
        var register = await GraphQLAsync("mutation($i: RegisterInput!) { register(input: $i) { token user { id username } } }",
            new { i = new { username, email = $"{username}@example.test", password = "bench-Pass-1" } }, token: "");
        Token = register.GetProperty("register").GetProperty("token").GetString()!;
        ChannelId = register.GetProperty("register").GetProperty("user").GetProperty("id").GetString()!;
        Username = register.GetProperty("register").GetProperty("user").GetProperty("username").GetString()!;
        StreamKey = (await GraphQLAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
    }

    private async Task<Process> StartNginxAsync()
    {
        var config = (await File.ReadAllTextAsync(Path.Combine(RepoRoot(), "deploy", "nginx-rtmp", "nginx.conf.template")))
            .Replace("@@RTMP_MODULE@@", "/usr/lib/nginx/modules/ngx_rtmp_module.so", StringComparison.Ordinal)
            .Replace("@@USER_DIRECTIVE@@", string.Empty, StringComparison.Ordinal)
            .Replace("@@PREFIX@@", Work, StringComparison.Ordinal)
            .Replace("@@RTMP_LISTEN@@", $"127.0.0.1:{RtmpPort}", StringComparison.Ordinal)
            .Replace("@@RTMP_PORT@@", RtmpPort.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@@HTTP_LISTEN@@", $"127.0.0.1:{HlsPort}", StringComparison.Ordinal)
            .Replace("@@API@@", $"127.0.0.1:{ApiPort}", StringComparison.Ordinal)
            .Replace("@@SECRET@@", IngestSecret, StringComparison.Ordinal)
            .Replace("@@UPDATE_INTERVAL@@", "10s", StringComparison.Ordinal)
            .Replace("@@HLS_PATH@@", Path.Combine(Work, "hls"), StringComparison.Ordinal)
            .Replace("@@PLAY_ALLOW@@", "127.0.0.1", StringComparison.Ordinal);
        var path = Path.Combine(Work, "nginx.conf");
        await File.WriteAllTextAsync(path, config);
        var start = new ProcessStartInfo("nginx") { UseShellExecute = false };
        foreach (var argument in new[] { "-p", Work, "-c", path, "-g", "daemon off; master_process off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await probe.GetAsync($"http://127.0.0.1:{HlsPort}/healthz")).IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new TimeoutException("nginx did not come up");
    }

    private static string RepoRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "deploy", "nginx-rtmp", "nginx.conf.template")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar)) ?? throw new FileNotFoundException("deploy/nginx-rtmp/nginx.conf.template");
        }

        return root;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
