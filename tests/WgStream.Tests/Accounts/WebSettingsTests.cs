using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WgStream.Tests.Media;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Accounts;

/// <summary>Settings (sessions, avatar) and chat moderation in the browser.</summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebSettingsTests(WebFixture fixture)
{
    [Fact]
    public async Task Revoking_a_session_on_one_device_signs_the_other_device_out()
    {
        var user = $"web_s{Guid.NewGuid().ToString("N")[..8]}";
        await using var contextA = await fixture.NewContextAsync();
        await using var contextB = await fixture.NewContextAsync();
        var a = await WebClientTests.SignUpAsync(contextA, user);
        var b = await LogInAsync(contextB, user);

        await b.GotoAsync($"/{user}");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");

        await a.GetByTestId("nav-settings").ClickAsync();
        var sessions = a.GetByTestId("session");
        await Expect(sessions).ToHaveCountAsync(2);
        await Expect(a.GetByTestId("this-device")).ToHaveCountAsync(1);
        await a.GetByTestId("revoke-session").ClickAsync();
        await Expect(sessions).ToHaveCountAsync(1);
        await Expect(a.GetByTestId("revoke-others")).ToBeDisabledAsync();

        // B did nothing: the server closed its chat connection, and the app noticed it was signed out.
        await Expect(b).ToHaveURLAsync(LoginUrl(), new() { Timeout = 10_000 });
        await Expect(b.GetByTestId("nav-login")).ToBeVisibleAsync();
        await Expect(b.GetByRole(AriaRole.Alert).Filter(new() { HasText = "signed out" })).ToBeVisibleAsync();
        await Expect(b.GetByTestId("whoami")).ToHaveCountAsync(0);

        // A is still signed in.
        await a.ReloadAsync();
        await Expect(a.GetByTestId("whoami")).ToHaveTextAsync(user);
    }

    [Fact]
    public async Task The_broadcaster_deletes_a_message_and_bans_the_sender()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_m", "web_v");
        var (streamer, viewer, a, b) = (people.Streamer, people.Viewer, people.A, people.B);

        await a.GotoAsync($"/{streamer}");
        await b.GotoAsync($"/{streamer}");
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");

        await a.GetByTestId("chat-input").FillAsync("welcome everyone");
        await a.GetByTestId("chat-send").ClickAsync();
        await SendAsync(b, "first rude message");

        var streamerLines = a.GetByTestId("chat-line");
        var rude = streamerLines.Filter(new() { HasText = "first rude message" });
        await Expect(rude).ToHaveCountAsync(1);

        // The broadcaster's own lines have no moderation buttons; the viewer sees none at all.
        await Expect(streamerLines.Filter(new() { HasText = "welcome everyone" }).GetByTestId("mod-delete")).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "welcome everyone" })).ToHaveCountAsync(1);
        await Expect(b.GetByTestId("mod-delete")).ToHaveCountAsync(0);

        await rude.GetByTestId("mod-delete").ClickAsync();
        await Expect(rude).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "first rude message" })).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "welcome everyone" })).ToHaveCountAsync(1);

        await SendAsync(b, "second rude message");
        var second = streamerLines.Filter(new() { HasText = "second rude message" });
        await Expect(second).ToHaveCountAsync(1);
        await second.GetByTestId("mod-ban").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{viewer} is banned" })).ToBeVisibleAsync();
        await Expect(second).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "second rude message" })).ToHaveCountAsync(0);

        await SendAsync(b, "am I banned?");
        await Expect(b.GetByTestId("chat-refusal")).ToBeVisibleAsync();
        await Expect(streamerLines.Filter(new() { HasText = "am I banned?" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_uploaded_avatar_is_previewed_and_shown_on_the_channel_page()
    {
        var user = $"web_p{Guid.NewGuid().ToString("N")[..8]}";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);

        var file = Path.Combine(Path.GetTempPath(), $"wg-avatar-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, TestImages.Png(400, 320, TestImages.Blue));
        try
        {
            await page.GotoAsync("/settings/profile");
            await page.GetByTestId("avatar-file").SetInputFilesAsync(file);
            var preview = page.GetByTestId("avatar-preview");
            await Expect(preview).ToHaveAttributeAsync("src", BlobUrl());
            await page.GetByTestId("avatar-upload").ClickAsync();
            await Expect(preview).ToHaveAttributeAsync("src", WebpUrl());
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Avatar updated" })).ToBeVisibleAsync();

            await page.GotoAsync($"/{user}");
            var avatar = page.Locator("img.avatar.big");
            await Expect(avatar).ToHaveAttributeAsync("src", WebpUrl());
            Assert.True(await avatar.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the avatar image loads");
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static async Task SendAsync(IPage page, string text)
    {
        await page.GetByTestId("chat-input").FillAsync(text);
        await page.GetByTestId("chat-send").ClickAsync();
    }

    internal static async Task<IPage> LogInAsync(IBrowserContext context, string username)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        var form = page.GetByTestId("login-form");
        await form.Locator("input[name=username]").FillAsync(username);
        await form.Locator("input[name=password]").FillAsync(WebClientTests.Password);
        await page.GetByTestId("auth-submit").ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(username);
        return page;
    }

    [GeneratedRegex("/login$")]
    private static partial Regex LoginUrl();

    [GeneratedRegex("^blob:")]
    private static partial Regex BlobUrl();

    [GeneratedRegex(@"\.webp$")]
    private static partial Regex WebpUrl();
}
