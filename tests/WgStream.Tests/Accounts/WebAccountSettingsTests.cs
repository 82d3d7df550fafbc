using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OtpNet;
using WgStream.Tests.Media;
using WgStream.Tests.Notifications;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Accounts;

/// <summary>
/// The settings area in the browser: profile (text, banner, links, chat colour), security (2FA with
/// a QR code, e-mail verification, password reset by the e-mailed link), notification settings and
/// Telegram, and the live notification bell.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebAccountSettingsTests(WebFixture fixture)
{
    private static readonly LocatorAssertionsToHaveCountOptions Slow = new() { Timeout = 15_000 };

    [Fact]
    public async Task Two_factor_is_set_up_from_the_QR_page_and_then_asked_for_at_login()
    {
        var user = $"web_t{Guid.NewGuid().ToString("N")[..8]}";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);

        await page.GotoAsync("/settings/security");
        // Setting it up asks for the password first; a wrong one shows no secret.
        await page.GetByTestId("totp-password").FillAsync("not-the-Password-1");
        await page.GetByTestId("totp-begin").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "current password is wrong" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("totp-secret")).ToHaveCountAsync(0);
        await page.GetByTestId("totp-password").FillAsync(WebClientTests.Password);
        await page.GetByTestId("totp-begin").ClickAsync();
        var qr = page.GetByTestId("totp-qr");
        await Expect(qr).ToHaveAttributeAsync("src", PngDataUrl());
        Assert.True(await qr.EvaluateAsync<bool>("img => img.complete && img.naturalWidth >= 100"), "the QR code is drawn");

        // What a person would type into an authenticator app: the key shown on the page.
        var secret = (await page.GetByTestId("totp-secret").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal);
        Assert.Matches("^[A-Z2-7]{16,}$", secret);
        var totp = new Totp(Base32Encoding.ToBytes(secret));

        await page.GetByTestId("totp-confirm-code").FillAsync("000000");
        await page.GetByTestId("totp-confirm").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Wrong code" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("recovery")).ToHaveCountAsync(0);

        await page.GetByTestId("totp-confirm-code").FillAsync(totp.ComputeTotp());
        await page.GetByTestId("totp-confirm").ClickAsync();
        var codes = page.GetByTestId("recovery-code");
        await Expect(codes).ToHaveCountAsync(10);
        var shown = (await codes.AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        Assert.Equal(10, shown.Distinct().Count());

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("recovery-download").ClickAsync());
        Assert.EndsWith(".txt", download.SuggestedFilename, StringComparison.Ordinal);
        var file = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.All(shown, code => Assert.Contains(code, file, StringComparison.Ordinal));

        await page.GetByTestId("recovery-done").ClickAsync();
        await Expect(page.GetByTestId("totp-enabled")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("recovery-code")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(page.GetByTestId("nav-login")).ToBeVisibleAsync();
        await page.GetByTestId("nav-login").ClickAsync();
        var form = page.GetByTestId("login-form");
        await form.Locator("input[name=username]").FillAsync(user);
        await form.Locator("input[name=password]").FillAsync(WebClientTests.Password);
        await page.GetByTestId("auth-submit").ClickAsync();
        var code = form.Locator("input[name=totpCode]");
        await Expect(code).ToBeVisibleAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveCountAsync(0);
        // The confirming code was used up; the next time step's is accepted (the server allows ±30 s).
        await code.FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await page.GetByTestId("auth-submit").ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(user);

        // Turning it off takes a code too; a recovery code does.
        await page.GotoAsync("/settings/security");
        await page.GetByTestId("totp-disable-code").FillAsync(shown[0]);
        await page.GetByTestId("totp-disable").ClickAsync();
        await Expect(page.GetByTestId("totp-begin")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Profile_text_banner_links_and_chat_colour_are_saved_and_shown_on_the_channel_page()
    {
        var user = $"web_r{Guid.NewGuid().ToString("N")[..8]}";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);
        var banner = Path.Combine(Path.GetTempPath(), $"wg-banner-{Guid.NewGuid():N}.png");
        var notImage = Path.Combine(Path.GetTempPath(), $"wg-not-image-{Guid.NewGuid():N}.png");
        var huge = Path.Combine(Path.GetTempPath(), $"wg-huge-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(banner, TestImages.Png(1500, 600, TestImages.Yellow));
        await File.WriteAllTextAsync(notImage, "this is text, not a picture");
        await File.WriteAllBytesAsync(huge, new byte[9 * 1024 * 1024]);
        try
        {
            await page.GotoAsync("/settings/profile");

            await page.GetByTestId("display-name").FillAsync("Banner Tester");
            await page.GetByTestId("bio-input").FillAsync("Speedruns and\nchill");
            await page.GetByTestId("save-profile").ClickAsync();
            await Expect(Toast(page, "Profile saved")).ToBeVisibleAsync();
            await page.GetByTestId("display-name").FillAsync("   ");
            await page.GetByTestId("save-profile").ClickAsync();
            await Expect(page.GetByTestId("profile-error")).ToContainTextAsync("display name");

            // The server's refusals are shown as it words them.
            var preview = page.GetByTestId("banner-preview");
            await page.GetByTestId("banner-file").SetInputFilesAsync(notImage);
            await page.GetByTestId("banner-upload").ClickAsync();
            await Expect(page.GetByTestId("banner-error")).ToContainTextAsync("not an image");
            await page.GetByTestId("banner-file").SetInputFilesAsync(huge);
            await page.GetByTestId("banner-upload").ClickAsync();
            await Expect(page.GetByTestId("banner-error")).ToContainTextAsync("at most 8 MiB");

            // A preview of the chosen file before anything is sent; the server's WebP after.
            await page.GetByTestId("banner-file").SetInputFilesAsync(banner);
            await Expect(preview).ToHaveAttributeAsync("src", BlobUrl());
            await Expect(page.GetByTestId("banner-pending")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("banner-error")).ToHaveCountAsync(0);
            await page.GetByTestId("banner-upload").ClickAsync();
            await Expect(preview).ToHaveAttributeAsync("src", WebpUrl());
            await Expect(page.GetByTestId("banner-pending")).ToHaveCountAsync(0);
            await Expect(Toast(page, "Banner updated")).ToBeVisibleAsync();

            var links = page.GetByTestId("social-link");
            await AddLinkAsync(page, "Alpha", "https://alpha.example/");
            await AddLinkAsync(page, "Beta", "https://beta.example/");
            await AddLinkAsync(page, "Gamma", "https://gamma.example/");
            await Expect(links).ToHaveCountAsync(3);

            await page.GetByTestId("new-link-title").FillAsync("Evil");
            await page.GetByTestId("new-link-url").FillAsync("javascript:alert(1)");
            await page.GetByTestId("add-link").ClickAsync();
            await Expect(page.GetByTestId("links-error")).ToContainTextAsync("http:// or https://");
            await Expect(links).ToHaveCountAsync(3);

            await links.Nth(2).GetByTestId("link-up").ClickAsync();
            await Expect(Toast(page, "Order saved")).ToBeVisibleAsync();
            await ExpectLinkTitlesAsync(page, "Alpha", "Gamma", "Beta");
            await links.Nth(0).GetByTestId("link-remove").ClickAsync();
            await Expect(links).ToHaveCountAsync(2);
            await links.Nth(1).GetByTestId("link-title").FillAsync("Beta blog");
            await links.Nth(1).GetByTestId("link-save").ClickAsync();
            await Expect(Toast(page, "Link saved")).ToBeVisibleAsync();

            await page.GetByTestId("chat-color-input").FillAsync("rainbow");
            await page.GetByTestId("save-chat-color").ClickAsync();
            await Expect(page.GetByTestId("chat-color-error")).ToContainTextAsync("#rrggbb");
            await page.GetByTestId("chat-color-input").FillAsync("hotpink");
            await page.GetByTestId("save-chat-color").ClickAsync();
            await Expect(page.GetByTestId("chat-color-value")).ToHaveTextAsync("#FF69B4");

            // Everything is stored: a reload shows it again.
            await page.ReloadAsync();
            await Expect(page.GetByTestId("display-name")).ToHaveValueAsync("Banner Tester");
            await Expect(page.GetByTestId("chat-color-value")).ToHaveTextAsync("#FF69B4");
            await ExpectLinkTitlesAsync(page, "Gamma", "Beta blog");

            await page.GotoAsync($"/{user}");
            await Expect(page.GetByTestId("channel-name")).ToContainTextAsync("Banner Tester");
            await Expect(page.GetByTestId("bio")).ToHaveTextAsync("Speedruns and\nchill");
            var shownBanner = page.Locator("img.banner");
            await Expect(shownBanner).ToHaveAttributeAsync("src", WebpUrl());
            Assert.True(await shownBanner.EvaluateAsync<bool>("img => img.complete && img.naturalWidth === 1200"), "the 1200-pixel banner loads");
            var channelLinks = page.Locator(".links a");
            await Expect(channelLinks).ToHaveTextAsync(["Gamma", "Beta blog"]);
            await Expect(channelLinks.First).ToHaveAttributeAsync("href", "https://gamma.example/");
        }
        finally
        {
            File.Delete(banner);
            File.Delete(notImage);
            File.Delete(huge);
        }
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_through_the_e_mailed_link()
    {
        var user = $"web_f{Guid.NewGuid().ToString("N")[..8]}";
        var email = $"{user}@example.com";
        await using var signedIn = await fixture.NewContextAsync();
        var old = await WebClientTests.SignUpAsync(signedIn, user);

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByTestId("forgot-password").ClickAsync();
        await page.GetByTestId("forgot-form").Locator("input[name=email]").FillAsync(email.ToUpperInvariant());
        await page.GetByTestId("forgot-submit").ClickAsync();
        await Expect(page.GetByTestId("forgot-sent")).ToBeVisibleAsync();

        var mail = await fixture.Mail.WaitForAsync(email, m => m.TextBody?.Contains("/reset-password?token=", StringComparison.Ordinal) == true);
        var link = ResetLink().Match(mail.TextBody!).Value;
        Assert.StartsWith(fixture.Api.BaseAddress.ToString().TrimEnd('/') + "/reset-password?token=", link, StringComparison.Ordinal);

        // The link opens the client's reset page on the Api that sent it.
        await page.GotoAsync(link);
        var form = page.GetByTestId("reset-form");
        await form.Locator("input[name=new-password]").FillAsync("weakpass");
        await form.Locator("input[name=repeat-password]").FillAsync("weakpass");
        await page.GetByTestId("reset-submit").ClickAsync();
        await Expect(page.GetByTestId("reset-error")).ToContainTextAsync("digit or symbol");

        const string newPassword = "Reset-by-link-7";
        await form.Locator("input[name=new-password]").FillAsync(newPassword);
        await form.Locator("input[name=repeat-password]").FillAsync(newPassword);
        await page.GetByTestId("reset-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(LoginUrl());
        await Expect(Toast(page, "Password changed")).ToBeVisibleAsync();

        await LogInAsync(page, user, newPassword);

        // Every older session ended with the reset.
        await old.ReloadAsync();
        await Expect(old.GetByTestId("nav-login")).ToBeVisibleAsync();
        await Expect(old.GetByTestId("whoami")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_verification_e_mail_link_verifies_the_address_and_can_be_sent_again()
    {
        var user = $"web_e{Guid.NewGuid().ToString("N")[..8]}";
        var email = $"{user}@example.com";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);
        await fixture.Mail.WaitForAsync(email, m => VerifyLink().IsMatch(m.TextBody ?? string.Empty));

        await page.GotoAsync("/settings/security");
        await Expect(page.GetByTestId("email-unverified")).ToBeVisibleAsync();
        await page.GetByTestId("resend-verification").ClickAsync();
        await Expect(Toast(page, $"A new code was sent to {email}")).ToBeVisibleAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (fixture.Mail.Messages.Count(m => m.To.Mailboxes.Any(a => a.Address == email)) < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the second verification e-mail arrives");
            await Task.Delay(100);
        }

        var latest = fixture.Mail.Messages.Last(m => m.To.Mailboxes.Any(a => a.Address == email));
        var link = VerifyLink().Match(latest.TextBody!).Value;
        Assert.StartsWith(fixture.Api.BaseAddress.ToString().TrimEnd('/') + "/verify-email?code=", link, StringComparison.Ordinal);

        await page.GotoAsync(link);
        await page.GetByTestId("verify-submit").ClickAsync();
        await Expect(page.GetByTestId("verify-done")).ToBeVisibleAsync();
        await page.GotoAsync("/settings/security");
        await Expect(page.GetByTestId("email-verified")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("resend-verification")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Notification_settings_persist_and_Telegram_is_linked_by_its_deep_link()
    {
        var user = $"web_n{Guid.NewGuid().ToString("N")[..8]}";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);

        await page.GotoAsync("/settings/notifications");
        var inAppFollower = page.GetByTestId("notify-inApp-newFollower");
        var emailLive = page.GetByTestId("notify-email-streamStarted");
        var telegramSponsor = page.GetByTestId("notify-telegram-newSponsor");
        await Expect(inAppFollower).ToBeCheckedAsync();
        await Expect(page.GetByTestId("notify-email-security")).ToBeDisabledAsync();
        var emailLiveBefore = await emailLive.IsCheckedAsync();
        var telegramSponsorBefore = await telegramSponsor.IsCheckedAsync();

        await inAppFollower.ClickAsync();
        await Expect(inAppFollower).Not.ToBeCheckedAsync();
        await Expect(inAppFollower).ToBeEnabledAsync();
        await emailLive.ClickAsync();
        await Expect(emailLive).ToBeCheckedAsync(new() { Checked = !emailLiveBefore });
        await Expect(emailLive).ToBeEnabledAsync();
        await telegramSponsor.ClickAsync();
        await Expect(telegramSponsor).ToBeCheckedAsync(new() { Checked = !telegramSponsorBefore });
        await Expect(telegramSponsor).ToBeEnabledAsync();

        await page.ReloadAsync();
        await Expect(inAppFollower).Not.ToBeCheckedAsync();
        await Expect(emailLive).ToBeCheckedAsync(new() { Checked = !emailLiveBefore });
        await Expect(telegramSponsor).ToBeCheckedAsync(new() { Checked = !telegramSponsorBefore });

        // Telegram: a one-time t.me link; pressing Start in that chat links it, and the page notices.
        await Expect(page.GetByTestId("telegram-unavailable")).ToHaveCountAsync(0);
        await page.GetByTestId("telegram-connect").ClickAsync();
        var link = page.GetByTestId("telegram-link");
        await Expect(link).ToHaveAttributeAsync("href", TelegramDeepLink());
        var chat = Random.Shared.NextInt64(1_000_000, 9_000_000);
        fixture.Telegram.SendText(chat, $"/start {NotificationsFixture.StartToken((await link.GetAttributeAsync("href"))!)}");
        await Expect(page.GetByTestId("telegram-linked")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(Toast(page, "Telegram connected")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Expect(page.GetByTestId("telegram-linked")).ToBeVisibleAsync();
        await page.GetByTestId("telegram-disconnect").ClickAsync();
        await Expect(page.GetByTestId("telegram-connect")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByTestId("telegram-connect")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_bell_shows_a_new_follower_as_it_happens()
    {
        var user = $"web_l{Guid.NewGuid().ToString("N")[..8]}";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);
        await Expect(page.GetByTestId("bell-root")).ToHaveAttributeAsync("data-live", "true", new() { Timeout = 10_000 });
        await Expect(page.GetByTestId("bell-count")).ToHaveCountAsync(0);

        // Someone else follows the channel through the API; nothing is reloaded here.
        var fan = fixture.CreateClient();
        var fanAccount = await fan.RegisterAsync($"fan{Guid.NewGuid().ToString("N")[..10]}");
        var channelId = (await fan.DataAsync("query($u: String!) { channel(username: $u) { id } }", new { u = user }))
            .GetProperty("channel").GetProperty("id").GetString();
        await fan.DataAsync("mutation($c: ID!) { follow(channelId: $c) { followerCount } }", new { c = channelId });

        await Expect(page.GetByTestId("bell-count")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await page.GetByTestId("bell").ClickAsync();
        var item = page.GetByTestId("notification");
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToContainTextAsync(fanAccount.Username);
        await Expect(item).ToHaveAttributeAsync("data-read", "false");

        await page.GetByTestId("bell-mark-all").ClickAsync();
        await Expect(page.GetByTestId("bell-count")).ToHaveCountAsync(0);
        await Expect(item).ToHaveAttributeAsync("data-read", "true");

        // The notification leads to the follower's channel, inside the app.
        await item.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/{fanAccount.Username}$"));
        await Expect(page.GetByTestId("channel-name")).ToContainTextAsync(fanAccount.Username);
        await page.ReloadAsync();
        await Expect(page.GetByTestId("bell-root")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("bell-count")).ToHaveCountAsync(0);
    }

    private static ILocator Toast(IPage page, string text) => page.GetByRole(AriaRole.Status).Filter(new() { HasText = text });

    private static async Task AddLinkAsync(IPage page, string title, string url)
    {
        var before = await page.GetByTestId("social-link").CountAsync();
        await page.GetByTestId("new-link-title").FillAsync(title);
        await page.GetByTestId("new-link-url").FillAsync(url);
        await page.GetByTestId("add-link").ClickAsync();
        await Expect(page.GetByTestId("social-link")).ToHaveCountAsync(before + 1, Slow);
        await Expect(page.GetByTestId("new-link-title")).ToHaveValueAsync(string.Empty);
    }

    private static async Task ExpectLinkTitlesAsync(IPage page, params string[] titles)
    {
        var links = page.GetByTestId("social-link");
        await Expect(links).ToHaveCountAsync(titles.Length);
        for (var i = 0; i < titles.Length; i++)
        {
            await Expect(links.Nth(i).GetByTestId("link-title")).ToHaveValueAsync(titles[i]);
        }
    }

    [Fact]
    public async Task A_username_change_moves_the_channel_and_logging_in_after_deactivating_reactivates()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var user = $"web_u{suffix}";
        var renamed = $"web_r{suffix}";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);

        await page.GotoAsync("/settings/account");
        // The change asks for the password; a wrong one changes nothing.
        await page.GetByTestId("new-username").FillAsync(renamed);
        await page.GetByTestId("username-password").FillAsync("not-the-Password-1");
        await page.GetByTestId("change-username").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "current password is wrong" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(user);

        await page.GetByTestId("new-username").FillAsync("dashboard");
        await page.GetByTestId("username-password").FillAsync(WebClientTests.Password);
        await page.GetByTestId("change-username").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "reserved" })).ToBeVisibleAsync();

        await page.GetByTestId("new-username").FillAsync(renamed);
        await page.GetByTestId("change-username").ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(renamed);
        await page.GotoAsync($"/{renamed}");
        await Expect(page.GetByTestId("channel-name")).ToContainTextAsync(renamed);
        await page.GotoAsync($"/{user}");
        await Expect(page.GetByTestId("channel-missing")).ToBeVisibleAsync();

        // Deactivating asks once more, then signs out everywhere and hides the channel.
        await page.GotoAsync("/settings/account");
        await page.GetByTestId("deactivate-password").FillAsync(WebClientTests.Password);
        await page.GetByTestId("deactivate").ClickAsync();
        await page.GetByTestId("deactivate-confirm").ClickAsync();
        await Expect(page.GetByTestId("nav-login")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveCountAsync(0);
        await page.GotoAsync($"/{renamed}");
        await Expect(page.GetByTestId("channel-missing")).ToBeVisibleAsync();

        // Logging in within the grace period keeps the account, and says so.
        await page.GotoAsync("/login");
        await LogInAsync(page, renamed, WebClientTests.Password);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Welcome back" })).ToBeVisibleAsync();
        await page.GotoAsync($"/{renamed}");
        await Expect(page.GetByTestId("channel-name")).ToContainTextAsync(renamed);
    }

    private static async Task LogInAsync(IPage page, string username, string password)
    {
        var form = page.GetByTestId("login-form");
        await form.Locator("input[name=username]").FillAsync(username);
        await form.Locator("input[name=password]").FillAsync(password);
        await page.GetByTestId("auth-submit").ClickAsync();
        await Expect(page.GetByTestId("whoami")).ToHaveTextAsync(username);
    }

    [GeneratedRegex("^data:image/png;base64,")]
    private static partial Regex PngDataUrl();

    [GeneratedRegex("^blob:")]
    private static partial Regex BlobUrl();

    [GeneratedRegex(@"\.webp$")]
    private static partial Regex WebpUrl();

    [GeneratedRegex("/login$")]
    private static partial Regex LoginUrl();

    [GeneratedRegex(@"^https://t\.me/wg_test_bot\?start=[A-Za-z0-9_-]{32}$")]
    private static partial Regex TelegramDeepLink();

    [GeneratedRegex(@"https?://\S+/reset-password\?token=\S+")]
    private static partial Regex ResetLink();

    [GeneratedRegex(@"https?://\S+/verify-email\?code=\d{6}")]
    private static partial Regex VerifyLink();
}
