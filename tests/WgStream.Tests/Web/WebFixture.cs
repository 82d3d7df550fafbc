using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Sponsorship;

namespace WgStream.Tests.Web;

/// <summary>
/// The real Api serving the built web client (Api/wwwroot/app, built by <c>./wg web</c>, which
/// <c>./wg test</c> runs), and Playwright driving Debian's chromium: no browser is downloaded.
/// </summary>
public sealed class WebFixture : ApiFixture
{
    public const string Chromium = "/usr/bin/chromium";

    public static string WebRoot => Path.Combine(RepoPaths.Root, "Api", "wwwroot");

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Stripe's API for sponsorship checkouts; payments are completed with signed webhooks (<see cref="StripeWebhooks"/>).</summary>
    public FakeStripeServer Stripe { get; } = new();

    // The Api runs from its build output; point its web root at the source tree, where the client is built.
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ASPNETCORE_WEBROOT"] = WebRoot,

        // Checkouts go to the fake Stripe API, and back from it to the channel page, as the Api's defaults do.
        ["WG_Stripe__SecretKey"] = FakeStripeServer.SecretKey,
        ["WG_Stripe__WebhookSecret"] = StripeWebhooks.Secret,
        ["WG_Stripe__ApiBase"] = Stripe.BaseUrl.ToString(),
        ["WG_Stripe__SuccessUrl"] = $"http://127.0.0.1:{ApiPort}/{{CHANNEL}}?sponsorship=success&session_id={{CHECKOUT_SESSION_ID}}",
        ["WG_Stripe__CancelUrl"] = $"http://127.0.0.1:{ApiPort}/{{CHANNEL}}?sponsorship=cancelled",

        // Every browser here signs up from 127.0.0.1: the collection registers more people than the default 10 an hour.
        ["WG_RateLimits__RegisterPerIp__Limit"] = "200",
    };

    public override async Task InitializeAsync()
    {
        await Stripe.StartAsync();
        var index = Path.Combine(WebRoot, "app", "index.html");
        if (!File.Exists(index))
        {
            throw new InvalidOperationException($"The web client is not built ({index} is missing): run ./wg web (./wg test does).");
        }

        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run ./wg services (it installs Debian's chromium).");
        }

        await base.InitializeAsync();
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
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
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Web";
}
