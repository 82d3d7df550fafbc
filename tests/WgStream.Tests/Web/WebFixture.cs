using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Streams;
using WgStream.Tests.Sponsorship;
using WgStream.Tests.Notifications;

namespace WgStream.Tests.Web;

/// <summary>
/// The real Api serving the built web client (Api/wwwroot/app, built by <c>./wg web</c>, which
/// <c>./wg test</c> runs), and Playwright driving Debian's chromium: no browser is downloaded.
/// Streaming is set up too (<see cref="RtmpIngest"/>: a real nginx-rtmp ingest), so an encoder can
/// go live and the browser play it.
/// Telegram is the fake Bot API server (polling), so the settings page can link a chat.
/// </summary>
public sealed class WebFixture : ApiFixture
{
    public const string Chromium = "/usr/bin/chromium";

    public static string WebRoot => Path.Combine(RepoPaths.Root, "Api", "wwwroot");

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public RtmpIngest Ingest { get; } = new();

    /// <summary>Janus beside the ingest, as <c>./wg run</c> starts it: the player's "Low latency".</summary>
    public JanusProcess Janus { get; } = new();

    /// <summary>Stripe's API for sponsorship checkouts; payments are completed with signed webhooks (<see cref="StripeWebhooks"/>).</summary>
    public FakeStripeServer Stripe { get; } = new();
    public FakeTelegramBotApi Telegram { get; private set; } = null!;

    // The Api runs from its build output; point its web root at the source tree, where the client is built.
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>(Ingest.ApiSettings.Concat(Janus.ApiSettings))
    {
        ["ASPNETCORE_WEBROOT"] = WebRoot,

        // Checkouts go to the fake Stripe API, and back from it to the channel page, as the Api's defaults do.
        ["WG_Stripe__SecretKey"] = FakeStripeServer.SecretKey,
        ["WG_Stripe__WebhookSecret"] = StripeWebhooks.Secret,
        ["WG_Stripe__ApiBase"] = Stripe.BaseUrl.ToString(),
        ["WG_Stripe__SuccessUrl"] = $"http://127.0.0.1:{ApiPort}/{{CHANNEL}}?sponsorship=success&session_id={{CHECKOUT_SESSION_ID}}",
        ["WG_Stripe__CancelUrl"] = $"http://127.0.0.1:{ApiPort}/{{CHANNEL}}?sponsorship=cancelled",

        // Every browser here signs up from 127.0.0.1: the collection registers more people than the default 10 an hour.
        // (No per-context X-Forwarded-For instead: a browser would send it to the HLS origin too, whose
        // CORS preflight refuses it, and the player would never load.)
        ["WG_RateLimits__RegisterPerIp__Limit"] = "200",
        ["WG_RateLimits__LoginPerIp__Limit"] = "200",
        ["WG_Telegram__BotToken"] = FakeTelegramBotApi.Token,
        ["WG_Telegram__BotUsername"] = FakeTelegramBotApi.BotUsername,
        ["WG_Telegram__ApiBaseUrl"] = Telegram.BaseUrl.ToString().TrimEnd('/'),
        ["WG_Telegram__PollTimeoutSeconds"] = "5",
        ["WG_Notifications__PollInterval"] = "00:00:00.200",

        // Analytics samples live broadcasts every 5 s instead of every minute, so a broadcast of
        // seconds draws several points (the shipped minute: ShortBroadcastGrainTests).
        ["WG_Analytics__SampleInterval"] = "00:00:05",
    };

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        await Janus.StartAsync();
        var index = Path.Combine(WebRoot, "app", "index.html");
        if (!File.Exists(index))
        {
            throw new InvalidOperationException($"The web client is not built ({index} is missing): run ./wg web (./wg test does).");
        }

        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run ./wg services (it installs Debian's chromium).");
        }

        // Playwright's 5 s default is tight on 2 shared cores (a first sign-up hashes with Argon2id and
        // activates cold grains): still bounded, and a passing step takes no longer for it.
        Assertions.SetDefaultExpectTimeout(15_000);
        Telegram = await FakeTelegramBotApi.StartAsync();
        await base.InitializeAsync();
        // This Api serves the web client, so it warms itself up with the client's persisted queries
        // before it reports ready; browsers start after that, as a load balancer's traffic would.
        await Api.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await Ingest.StartAsync(Api.Port);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                // WebRTC with Janus on loopback only: gather loopback candidates, and real addresses rather than mDNS names.
                "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
            ],
        });
    }

    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Api.BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        ColorScheme = ColorScheme.Light,
        Locale = "en-US",
    });

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        await Ingest.DisposeAsync();
        await base.DisposeAsync();
        await Janus.DisposeAsync();
        if (Telegram is not null)
        {
            await Telegram.DisposeAsync();
        }
        await Stripe.DisposeAsync();
    }
}

/// <summary>A streamer and a viewer, each signed up through the UI in a browser context of their own.</summary>
public sealed class TwoPeople : IAsyncDisposable
{
    private TwoPeople(string streamer, string viewer, IBrowserContext streamerContext, IBrowserContext viewerContext)
    {
        Streamer = streamer;
        Viewer = viewer;
        StreamerContext = streamerContext;
        ViewerContext = viewerContext;
    }

    public string Streamer { get; }

    public string Viewer { get; }

    public IBrowserContext StreamerContext { get; }

    public IBrowserContext ViewerContext { get; }

    /// <summary>The streamer's page, on their own channel after signing up.</summary>
    public IPage A { get; private set; } = null!;

    /// <summary>The viewer's page, on their own channel after signing up.</summary>
    public IPage B { get; private set; } = null!;

    /// <summary>Usernames are the prefixes with one random suffix, so every test has fresh accounts.</summary>
    public static async Task<TwoPeople> SignUpAsync(WebFixture fixture, string streamerPrefix, string viewerPrefix)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var people = new TwoPeople($"{streamerPrefix}{suffix}", $"{viewerPrefix}{suffix}", await fixture.NewContextAsync(), await fixture.NewContextAsync());
        try
        {
            people.A = await WebClientTests.SignUpAsync(people.StreamerContext, people.Streamer);
            people.B = await WebClientTests.SignUpAsync(people.ViewerContext, people.Viewer);
            return people;
        }
        catch
        {
            await people.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StreamerContext.DisposeAsync();
        await ViewerContext.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Web";
}
