using System.Net;
using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Web;

[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebClientTests(WebFixture fixture)
{
    internal const string Password = "Browser-pass-1";

    /// <summary>
    /// With WG_UPDATE_SCREENSHOTS=1 the README's pictures in docs/screenshots are refreshed; otherwise
    /// the test still takes them (so the pages must render) but into a temporary folder, leaving the tree clean.
    /// </summary>
    internal static string Screenshots { get; } = Environment.GetEnvironmentVariable("WG_UPDATE_SCREENSHOTS") == "1"
        ? Path.Combine(RepoPaths.Root, "docs", "screenshots")
        : Path.Combine(Path.GetTempPath(), $"wg-screenshots-{Guid.NewGuid():N}");

    [Fact]
    public async Task Client_routes_serve_the_app_and_api_paths_keep_their_404s()
    {
        using var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress };
        var page = await http.GetAsync(new Uri("/some_channel", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<div id=\"root\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/hubs/nothing", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("/webhooks/nothing", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/emotes/wgHype.svg", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Two_people_sign_up_chat_on_a_channel_and_settings_persist()
    {
        Directory.CreateDirectory(Screenshots);

        await using var people = await TwoPeople.SignUpAsync(fixture, "web_a", "web_b");
        var (streamer, a, b) = (people.Streamer, people.A, people.B);

        await a.GotoAsync("/");
        await Expect(a.GetByTestId("nobody-live")).ToBeVisibleAsync();
        await a.GetByTestId("search").FillAsync(streamer);
        await Expect(a.GetByTestId($"channel-card-{streamer}")).ToBeVisibleAsync();
        await a.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "home.png") });

        await a.GotoAsync($"/{streamer}");
        await b.GotoAsync($"/{streamer}");
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");

        await b.GetByTestId("follow").ClickAsync();
        await Expect(b.GetByTestId("follower-count")).ToContainTextAsync("1 followers");

        await a.GetByTestId("chat-input").FillAsync("hello from the streamer :wgHype:");
        await a.GetByTestId("chat-send").ClickAsync();
        await b.GetByTestId("chat-input").FillAsync("hi from the viewer");
        await b.GetByTestId("chat-send").ClickAsync();

        foreach (var page in new[] { a, b })
        {
            var lines = page.GetByTestId("chat-line");
            await Expect(lines.Filter(new() { HasText = "hello from the streamer" })).ToHaveCountAsync(1);
            await Expect(lines.Filter(new() { HasText = "hi from the viewer" })).ToHaveCountAsync(1);
            await Expect(lines.Filter(new() { HasText = "hello from the streamer" }).Locator("img.emote")).ToHaveAttributeAsync("src", "/emotes/wgHype.svg");
        }

        // A refusal from SendMessage is shown: only an invisible character is empty after cleaning.
        await b.GetByTestId("chat-input").FillAsync("\u200B");
        await b.GetByTestId("chat-send").ClickAsync();
        await Expect(b.GetByTestId("chat-refusal")).ToBeVisibleAsync();
        await b.GetByTestId("chat-input").FillAsync("");

        await b.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "channel.png") });

        await a.GotoAsync("/dashboard");
        var key = a.GetByTestId("stream-key");
        await Expect(key).ToHaveAttributeAsync("type", "password");
        await a.GetByTestId("reveal-key").ClickAsync();
        await Expect(key).ToHaveAttributeAsync("type", "text");
        StringAssert(await key.InputValueAsync(), "live_");
        await a.GetByTestId("reveal-key").ClickAsync();
        await a.GetByTestId("stream-title").FillAsync("Browser test stream");
        await a.GetByTestId("save-stream").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved" })).ToBeVisibleAsync();
        await a.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "dashboard.png") });

        await a.GetByTestId("lang").SelectOptionAsync("uk");
        await a.GetByTestId("theme").ClickAsync();
        await Expect(a.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await a.ReloadAsync();
        await Expect(a.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(a.Locator("html")).ToHaveAttributeAsync("lang", "uk");
        await Expect(a.GetByRole(AriaRole.Heading, new() { Name = "Панель автора" })).ToBeVisibleAsync();
        await Expect(a.GetByTestId("stream-title")).ToHaveValueAsync("Browser test stream");
    }

    /// <summary>A screenshot for the README (into docs/screenshots with WG_UPDATE_SCREENSHOTS=1, else a temporary folder), toasts hidden.</summary>
    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, name), Style = ".toasts { display: none; }" });
    }

    private static void StringAssert(string value, string prefix) =>
        Assert.StartsWith(prefix, value, StringComparison.Ordinal);

    internal static async Task<IPage> SignUpAsync(IBrowserContext context, string username)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByTestId("nav-signup").ClickAsync();
        var form = page.GetByTestId("signup-form");
        await form.Locator("input[name=username]").FillAsync(username);
        await form.Locator("input[name=email]").FillAsync($"{username}@example.com");
        await form.Locator("input[name=password]").FillAsync(Password);
        await page.GetByTestId("auth-submit").ClickAsync();
        // Registration hashes the password (Argon2id): seconds on a busy two-core machine.
        await Expect(page).ToHaveURLAsync(new Uri(new Uri(page.Url), $"/{username}").ToString(), new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(username);
        await Expect(page.GetByTestId("channel-name")).ToContainTextAsync(username);
        return page;
    }
}
