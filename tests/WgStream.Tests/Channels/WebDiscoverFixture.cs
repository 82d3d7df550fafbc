using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;

namespace WgStream.Tests.Channels;

/// <summary>
/// An Api of its own for the directory and chat browser tests, which make dozens of channels live
/// through the ingest's publish callback (as nginx-rtmp would, without an encoder): a long
/// heartbeat timeout, since nothing sends heartbeats, and no thumbnail grabs, since there is no
/// HLS behind these broadcasts. Its own database, so the live directory holds only what its
/// tests put there and other web tests' "nobody is live" stays true.
/// </summary>
public sealed class WebDiscoverFixture : ApiFixture
{
    private int nextClientId;

    public string IngestSecret { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ASPNETCORE_WEBROOT"] = WebFixture.WebRoot,
        ["WG_Streams__IngestSecret"] = IngestSecret,
        ["WG_Streams__HeartbeatTimeout"] = "01:00:00",
        ["WG_Streams__ThumbnailFirstDelay"] = "01:00:00",
        ["WG_Streams__ViewerCountFlushInterval"] = "00:00:00.300",
        ["WG_Streams__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
    };

    public override async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebFixture.WebRoot, "app", "index.html")) || !File.Exists(WebFixture.Chromium))
        {
            throw new InvalidOperationException("The web client is not built or chromium is missing: run ./wg web and ./wg services (./wg test does both).");
        }

        await base.InitializeAsync();
        Assertions.SetDefaultExpectTimeout(15_000); // two shared cores in CI
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = WebFixture.Chromium,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public Task<IBrowserContext> NewContextAsync(int width = 1280, int height = 800, ColorScheme scheme = ColorScheme.Light) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Api.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            Locale = "en-US",
        });

    /// <summary>A new account with a stream title and category, signed in through GraphQL.</summary>
    public async Task<WebStreamer> StreamerAsync(string username, string? category, string title)
    {
        var client = CreateClient();
        var account = await client.RegisterAsync(username, WebClientTests.Password);
        await client.DataAsync("mutation($i: UpdateStreamInput!) { updateStream(input: $i) { title } }", new { i = new { title, category } });
        var key = (await client.DataAsync("{ streamSettings { streamKey } }")).GetProperty("streamSettings").GetProperty("streamKey").GetString()!;
        return new WebStreamer(account, client, key, Interlocked.Increment(ref nextClientId));
    }

    /// <summary>Live through the publish callback, as nginx-rtmp calls it for an encoder.</summary>
    public async Task GoLiveAsync(WebStreamer streamer)
    {
        using var response = await IngestAsync("publish", streamer, "publish");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public async Task GoOfflineAsync(WebStreamer streamer)
    {
        using var response = await IngestAsync("publish-done", streamer, "publish_done");
    }

    private async Task<HttpResponseMessage> IngestAsync(string path, WebStreamer streamer, string call)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Api.BaseAddress };
        return await http.PostAsync($"/ingest/rtmp/{path}?secret={Uri.EscapeDataString(IngestSecret)}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["app"] = "live",
            ["flashver"] = "FMLE/3.0 (compatible; OBS)",
            ["tcurl"] = "rtmp://127.0.0.1:1935/live",
            ["addr"] = "127.0.0.1",
            ["clientid"] = streamer.ClientId.ToString(CultureInfo.InvariantCulture),
            ["call"] = call,
            ["name"] = streamer.Key,
            ["type"] = "live",
        }));
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        await base.DisposeAsync();
    }
}

public sealed record WebStreamer(TestAccount Account, GraphQLClient Client, string Key, int ClientId)
{
    public string Username => Account.Username;
}

[CollectionDefinition(Name)]
public sealed class WebDiscoverCollection : ICollectionFixture<WebDiscoverFixture>
{
    public const string Name = "WebDiscover";
}
