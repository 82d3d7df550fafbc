using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Operations;

/// <summary>
/// An Api that can go live, so a scrape shows the ingest metrics too: broadcasts start through the
/// ingest callback (as nginx-rtmp would call it, without nginx) and stay live for the run; the HLS
/// worker a broadcast starts gets a stand-in for ffmpeg and ffprobe that exits at once, so the
/// worker runs, finds its encoder gone and restarts it (wg.streams.transcoders, transcode_restarts).
/// </summary>
public sealed class DashboardFixture : ApiFixture
{
    private readonly string tools = Directory.CreateTempSubdirectory("wg-dashboard-").FullName;

    public string IngestSecret { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    private string FailingTool => Path.Combine(tools, "ffmpeg");

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["WG_Streams__IngestSecret"] = IngestSecret,
        ["WG_Streams__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["WG_Streams__HeartbeatTimeout"] = "01:00:00",
        ["WG_Streams__ThumbnailFirstDelay"] = "01:00:00",
        ["WG_Streams__HlsPath"] = Path.Combine(tools, "hls"),
        ["WG_Streams__FfmpegPath"] = FailingTool,
        ["WG_Streams__FfprobePath"] = FailingTool,
    };

    public override async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(FailingTool, "#!/bin/sh\nexit 1\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FailingTool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(tools, recursive: true);
    }

    /// <summary>
    /// Starts a broadcast on <paramref name="channelId"/> (the signed-in account of
    /// <paramref name="client"/>) as nginx-rtmp's on_publish would, then its relay to this node,
    /// which starts the channel's HLS worker.
    /// </summary>
    public async Task GoLiveAsync(GraphQLClient client, Guid channelId)
    {
        var key = (await client.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Api.BaseAddress };
        using var publish = await PublishAsync(http, new() { ["app"] = "live", ["name"] = key });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, publish.StatusCode);
        using var relay = await PublishAsync(http, new() { ["app"] = "hls", ["name"] = channelId.ToString("N"), ["pageurl"] = IngestSecret });
        Assert.Equal(System.Net.HttpStatusCode.OK, relay.StatusCode);
    }

    private Task<HttpResponseMessage> PublishAsync(HttpClient http, Dictionary<string, string> form)
    {
        form["addr"] = "127.0.0.1";
        form["clientid"] = "1";
        form["call"] = "publish";
        form["type"] = "live";
        return http.PostAsync($"/ingest/rtmp/publish?secret={Uri.EscapeDataString(IngestSecret)}", new FormUrlEncodedContent(form));
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
