using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;
using WgStream.Tests.Notifications;

namespace WgStream.Tests.Web;

/// <summary>
/// The real Api serving the built web client (Api/wwwroot/app, built by <c>./wg web</c>, which
/// <c>./wg test</c> runs), and Playwright driving Debian's chromium: no browser is downloaded.
/// Telegram is the fake Bot API server (polling), so the settings page can link a chat.
/// </summary>
public sealed class WebFixture : ApiFixture
{
    public const string Chromium = "/usr/bin/chromium";

    public static string WebRoot => Path.Combine(RepoPaths.Root, "Api", "wwwroot");

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public FakeTelegramBotApi Telegram { get; private set; } = null!;

    // The Api runs from its build output; point its web root at the source tree, where the client is built.
    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ASPNETCORE_WEBROOT"] = WebRoot,
        ["WG_Telegram__BotToken"] = FakeTelegramBotApi.Token,
        ["WG_Telegram__BotUsername"] = FakeTelegramBotApi.BotUsername,
        ["WG_Telegram__ApiBaseUrl"] = Telegram.BaseUrl.ToString().TrimEnd('/'),
        ["WG_Telegram__PollTimeoutSeconds"] = "5",
        ["WG_Notifications__PollInterval"] = "00:00:00.200",
    };

    public override async Task InitializeAsync()
    {
        var index = Path.Combine(WebRoot, "app", "index.html");
        if (!File.Exists(index))
        {
            throw new InvalidOperationException($"The web client is not built ({index} is missing): run ./wg web (./wg test does).");
        }

        if (!File.Exists(Chromium))
        {
            throw new InvalidOperationException($"{Chromium} is missing: run ./wg services (it installs Debian's chromium).");
        }

        Telegram = await FakeTelegramBotApi.StartAsync();
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
        // Each context is another person or device: its own address (the Api trusts X-Forwarded-For
        // in tests), as API tests do, so per-address limits such as registrations per hour do not add up.
        ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = GraphQLClient.RandomAddress() },
    });

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        Playwright?.Dispose();
        await base.DisposeAsync();
        if (Telegram is not null)
        {
            await Telegram.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "Web";
}
