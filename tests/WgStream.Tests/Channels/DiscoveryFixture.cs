using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WgStream.GrainInterfaces.Streams;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Media;

namespace WgStream.Tests.Channels;

/// <summary>
/// The Api for discovery tests: channels go live through the ingest callback (as nginx-rtmp would
/// call it, with the ingest secret, but without nginx), stay live (a heartbeat timeout of an hour),
/// get viewers through an Orleans client that joins the Api's silo, and get a live thumbnail from a
/// stand-in for ffmpeg that prints a red JPEG frame. It serves the built web client, for link previews.
/// </summary>
public sealed class DiscoveryFixture : ApiFixture
{
    private readonly string tools = Directory.CreateTempSubdirectory("wg-discovery-").FullName;
    private IHost? orleans;
    private int nextClientId;

    public string IngestSecret { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public string ClusterId { get; } = $"discovery-{Guid.NewGuid():N}";

    public IClusterClient Cluster => orleans!.Services.GetRequiredService<IClusterClient>();

    private string FakeFfmpeg => Path.Combine(tools, "ffmpeg");

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Cluster__ClusterId"] = ClusterId,
        ["WG_Streams__IngestSecret"] = IngestSecret,
        ["WG_Streams__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["WG_Streams__HeartbeatTimeout"] = "01:00:00",
        ["WG_Streams__ViewerCountFlushInterval"] = "00:00:00.200",
        ["WG_Streams__ThumbnailFirstDelay"] = "00:00:01",
        ["WG_Streams__ThumbnailRetryDelay"] = "00:00:01",
        ["WG_Streams__ThumbnailInterval"] = "01:00:00",
        ["WG_Streams__FfmpegPath"] = FakeFfmpeg,

        // The built web client (./wg web), whose index.html the Api serves with link previews, and
        // the address those previews name.
        ["ASPNETCORE_WEBROOT"] = Web.WebFixture.WebRoot,
        ["WG_Accounts__PublicBaseUrl"] = PublicBaseUrl,
    };

    public string PublicBaseUrl => $"http://127.0.0.1:{ApiPort}";

    public override async Task InitializeAsync()
    {
        var frame = Path.Combine(tools, "frame.jpg");
        await File.WriteAllBytesAsync(frame, TestImages.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 1280, 720, TestImages.Red));
        await File.WriteAllTextAsync(FakeFfmpeg, $"#!/bin/sh\nexec cat '{frame}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FakeFfmpeg, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await base.InitializeAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client => client
            .UseLocalhostClustering(Api.GatewayPort)
            .Configure<Orleans.Configuration.ClusterOptions>(o =>
            {
                o.ClusterId = ClusterId;
                o.ServiceId = "wg-stream";
            }));
        orleans = builder.Build();
        await orleans.StartAsync();
    }

    public override async Task DisposeAsync()
    {
        if (orleans is not null)
        {
            await orleans.StopAsync();
            orleans.Dispose();
        }

        await base.DisposeAsync();
        Directory.Delete(tools, recursive: true);
    }

    /// <summary>A new account whose broadcasts get this title and category (null: none).</summary>
    public async Task<Streamer> StreamerAsync(string? category = null)
    {
        var client = CreateClient();
        var account = await client.RegisterAsync();
        if (category is not null)
        {
            await client.DataAsync("mutation($c: String!) { updateStream(input: {title: \"On air\", category: $c}) { title } }", new { c = category });
        }

        var key = (await client.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
        return new Streamer(this, client, account, key, Interlocked.Increment(ref nextClientId));
    }

    public async Task<HttpResponseMessage> IngestAsync(string path, Streamer streamer)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Api.BaseAddress };
        var call = path switch { "publish" => "publish", "publish-done" => "publish_done", _ => "update_publish" };
        return await http.PostAsync($"/ingest/rtmp/{path}?secret={Uri.EscapeDataString(IngestSecret)}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["app"] = "live",
            ["addr"] = "127.0.0.1",
            ["clientid"] = streamer.ClientId.ToString(CultureInfo.InvariantCulture),
            ["call"] = call,
            ["name"] = streamer.Key,
            ["type"] = "live",
        }));
    }

    /// <summary>Reads until <paramref name="done"/> holds, for what is written through asynchronously; returns that read.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}; last read: {value}");
            await Task.Delay(100);
        }
    }

    public static List<JsonElement> Nodes(JsonElement list) => list.EnumerateArray().ToList();

    public static string Id(JsonElement node) => node.GetProperty("id").GetString()!;
}

/// <summary>A channel owner with their stream key and an ingest connection id of their own.</summary>
public sealed record Streamer(DiscoveryFixture Fixture, GraphQLClient Client, TestAccount Account, string Key, int ClientId)
{
    public string Id => Account.Id.ToString();

    public async Task GoLiveAsync()
    {
        using var response = await Fixture.IngestAsync("publish", this);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public async Task EndAsync()
    {
        using var response = await Fixture.IngestAsync("publish-done", this);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Counts <paramref name="count"/> more viewers, as watching sockets or chat connections would.</summary>
    public async Task AddViewersAsync(int count)
    {
        // As one more Api node with that many viewers, reporting under a lease longer than any test.
        var report = new ViewerReport($"discovery-test:{Guid.NewGuid():N}", count, 1, TimeSpan.FromHours(1));
        await Fixture.Cluster.GetGrain<IBroadcasterGrain>(Account.Id).ReportViewersAsync(report);
    }
}

[CollectionDefinition(Name)]
public sealed class DiscoveryCollection : ICollectionFixture<DiscoveryFixture>
{
    public const string Name = "Discovery";
}
