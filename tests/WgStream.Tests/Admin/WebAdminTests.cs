using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Admin;

/// <summary>
/// An Api serving the web client whose one operator (with 2FA) was registered on it before it
/// restarted with <c>Admin:UserIds</c>, as an operator sets it up; its own database, so the lists
/// the admin page shows hold only what its test puts there.
/// </summary>
public sealed class WebAdminFixture : ApiFixture
{
    public TestAccount Operator { get; private set; } = null!;

    public OtpNet.Totp OperatorTotp { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    protected override IDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["ASPNETCORE_WEBROOT"] = WebFixture.WebRoot,
    };

    public override async Task InitializeAsync()
    {
        if (!File.Exists(Path.Combine(WebFixture.WebRoot, "app", "index.html")) || !File.Exists(WebFixture.Chromium))
        {
            throw new InvalidOperationException("The web client is not built or chromium is missing: run ./wg web and ./wg services (./wg test does both).");
        }

        await base.InitializeAsync();
        var client = CreateClient();
        Operator = await client.RegisterAsync(password: WebClientTests.Password);
        OperatorTotp = await TwoFactor.TurnOnAsync(client, WebClientTests.Password);
        await RestartWithAsync(new Dictionary<string, string> { ["WG_Admin__UserIds__0"] = Operator.Id.ToString() });
        await Api.WaitReadyAsync(TimeSpan.FromSeconds(60));
        Assertions.SetDefaultExpectTimeout(15_000); // two shared cores in CI
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = WebFixture.Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public Task<IBrowserContext> NewContextAsync() => Browser.NewContextAsync(new BrowserNewContextOptions
    {
        BaseURL = Api.BaseAddress.ToString(),
        ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
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
    }
}

/// <summary>The operators' panel in a browser: who sees it, a site ban, a category created.</summary>
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebAdminTests(WebAdminFixture fixture) : IClassFixture<WebAdminFixture>
{
    [Fact]
    public async Task An_operator_with_2FA_opens_admin_bans_a_user_and_creates_a_category_that_the_categories_page_lists()
    {
        var victim = await fixture.CreateClient().RegisterAsync(password: WebClientTests.Password);
        var bystander = await fixture.CreateClient().RegisterAsync(password: WebClientTests.Password);

        // Someone who is not an operator is told so, and has no link to it.
        await using (var other = await fixture.NewContextAsync())
        {
            var page = await other.NewPageAsync();
            await LogInAsync(page, bystander.Username, null);
            await Expect(page.GetByTestId("nav-admin")).ToHaveCountAsync(0);
            await page.GotoAsync("/admin");
            await Expect(page.GetByTestId("admin-forbidden")).ToContainTextAsync("operators");
        }

        await using var context = await fixture.NewContextAsync();
        var admin = await context.NewPageAsync();
        // The TOTP of the next step: the one that turned 2FA on is used up.
        await LogInAsync(admin, fixture.Operator.Username, fixture.OperatorTotp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await admin.GetByTestId("nav-admin").ClickAsync();
        await Expect(admin.GetByTestId("admin-live")).ToContainTextAsync("Nobody is live");

        // A site ban by username, with a reason.
        await admin.GetByTestId("admin-tab-bans").ClickAsync();
        await Expect(admin.GetByTestId("admin-bans")).ToContainTextAsync("Nobody is banned");
        await admin.GetByTestId("admin-ban-username").FillAsync("@" + victim.Username);
        await admin.GetByTestId("admin-ban-reason").FillAsync("spam bot");
        await admin.GetByTestId("admin-ban-submit").ClickAsync();
        var banned = admin.Locator($"[data-testid=admin-ban][data-username={victim.Username}]");
        await Expect(banned).ToContainTextAsync("spam bot");
        await Expect(banned).ToContainTextAsync(fixture.Operator.Username);
        (await fixture.CreateClient().SendAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { login = victim.Username, password = WebClientTests.Password } }))
            .AssertError("ACCOUNT_BANNED");

        // A category, created and then moved to the top.
        await admin.GetByTestId("admin-tab-categories").ClickAsync();
        await admin.GetByTestId("admin-category-slug").FillAsync("retro-games");
        await admin.GetByTestId("admin-category-name-en").FillAsync("Retro games");
        await admin.GetByTestId("admin-category-name-uk").FillAsync("Ретро-ігри");
        await admin.GetByTestId("admin-category-create").ClickAsync();
        var created = admin.Locator("[data-testid=admin-category][data-slug=retro-games]");
        await Expect(created).ToBeVisibleAsync();
        await Expect(admin.GetByTestId("admin-category").Last).ToHaveAttributeAsync("data-slug", "retro-games");
        var count = await admin.GetByTestId("admin-category").CountAsync();
        await created.GetByTestId("admin-category-up").ClickAsync();
        await Expect(admin.GetByTestId("admin-category").Nth(count - 2)).ToHaveAttributeAsync("data-slug", "retro-games");

        await admin.GotoAsync("/categories");
        await Expect(admin.GetByTestId("category-tile-retro-games")).ToContainTextAsync("Retro games");
    }

    private static async Task LogInAsync(IPage page, string username, string? totpCode)
    {
        await page.GotoAsync("/login");
        var form = page.GetByTestId("login-form");
        await form.Locator("input[name=username]").FillAsync(username);
        await form.Locator("input[name=password]").FillAsync(WebClientTests.Password);
        await page.GetByTestId("auth-submit").ClickAsync();
        if (totpCode is not null)
        {
            await form.Locator("input[name=totpCode]").FillAsync(totpCode);
            await page.GetByTestId("auth-submit").ClickAsync();
        }

        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(username);
    }
}
