using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WgStream.Tests.Sponsorship;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Streams;

/// <summary>
/// The creator dashboard (OBS guide, chat settings, moderators and bans, sponsorship plans, income)
/// and sponsoring a channel through (fake) Stripe Checkout, in the browser.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebStudioTests(WebFixture fixture)
{
    [Fact]
    public async Task The_obs_guide_shows_the_ingest_url_the_api_gives_in_both_languages()
    {
        var user = $"web_o{Guid.NewGuid().ToString("N")[..8]}";
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, user);

        // What the Api says, asked with the same session cookie the page uses.
        var settings = await GraphQLAsync(context, "{ streamSettings { ingestUrl } }");
        var ingestUrl = settings.GetProperty("streamSettings").GetProperty("ingestUrl").GetString()!;
        Assert.StartsWith("rtmp://", ingestUrl, StringComparison.Ordinal);

        await page.GetByTestId("nav-dashboard").ClickAsync();
        var guide = page.GetByTestId("obs-guide");
        await Expect(guide.GetByRole(AriaRole.Heading, new() { Name = "Go live with OBS Studio" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("obs-server")).ToHaveTextAsync(ingestUrl);
        await Expect(page.GetByTestId("ingest-url")).ToHaveValueAsync(ingestUrl);
        await Expect(guide).ToContainTextAsync("Custom");
        await Expect(page.GetByTestId("obs-settings")).ToContainTextAsync("1 s (not");

        // The key itself is never printed in the guide.
        await page.GetByTestId("reveal-key").ClickAsync();
        var key = await page.GetByTestId("stream-key").InputValueAsync();
        Assert.StartsWith("live_", key, StringComparison.Ordinal);
        await Expect(guide).Not.ToContainTextAsync(key);

        await page.GetByTestId("reveal-key").ClickAsync(); // hidden again for the picture
        await ShotAsync(page, "dashboard-obs.png", fullPage: true);

        await page.GetByTestId("lang").SelectOptionAsync("uk");
        await Expect(guide.GetByRole(AriaRole.Heading, new() { Name = "Як вийти в ефір з OBS Studio" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("obs-server")).ToHaveTextAsync(ingestUrl);
        await Expect(page.GetByTestId("obs-settings")).ToContainTextAsync("1 с (не");

        // At phone width nothing spills sideways.
        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.GetByTestId("obs-server")).ToBeVisibleAsync();
        Assert.True(
            await page.EvaluateAsync<bool>("() => { const d = document.querySelector('.dashboard'); return d.scrollWidth <= d.clientWidth; }"),
            "the dashboard fits a 390 px wide screen");
    }

    [Fact]
    public async Task Chat_modes_saved_in_the_dashboard_refuse_a_viewer_and_lift_again()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var streamer = $"web_c{suffix}";
        var viewer = $"web_d{suffix}";
        await using var streamerContext = await fixture.NewContextAsync();
        await using var viewerContext = await fixture.NewContextAsync();
        var a = await WebClientTests.SignUpAsync(streamerContext, streamer);
        var b = await WebClientTests.SignUpAsync(viewerContext, viewer);

        await a.GotoAsync("/dashboard");
        await a.GetByTestId("dash-tab-chat").ClickAsync();
        await Expect(a).ToHaveURLAsync(PathIs("/dashboard/chat"));
        await Expect(a.GetByTestId("cs-enabled")).ToBeCheckedAsync();
        await Expect(a.GetByTestId("cs-sponsors")).Not.ToBeCheckedAsync();
        await Expect(a.GetByTestId("cs-slow")).ToHaveValueAsync("0");

        // The server's refusal is shown as it is.
        await a.GetByTestId("cs-slow").FillAsync("999999");
        await a.GetByTestId("cs-save").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Slow mode is 0 (off) to 3600 seconds" })).ToBeVisibleAsync();

        await a.GetByTestId("cs-slow").FillAsync("0");
        await a.GetByTestId("cs-sponsors").CheckAsync();
        await SaveChatSettingsAsync(a);
        await a.ReloadAsync();
        await Expect(a.GetByTestId("cs-sponsors")).ToBeCheckedAsync();

        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await SendAsync(b, "may I speak?");
        await Expect(b.GetByTestId("chat-refusal")).ToContainTextAsync("sponsors only");

        await a.GetByTestId("cs-sponsors").UncheckAsync();
        await a.GetByTestId("cs-followers").CheckAsync();
        await SaveChatSettingsAsync(a);
        await SendAsync(b, "and now?");
        await Expect(b.GetByTestId("chat-refusal")).ToContainTextAsync("followers only");

        await a.GetByTestId("cs-followers").UncheckAsync();
        await SaveChatSettingsAsync(a);
        await SendAsync(b, "finally heard");
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "finally heard" })).ToHaveCountAsync(1);
        await Expect(b.GetByTestId("chat-refusal")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_moderator_added_by_username_moderates_and_the_owner_lifts_the_ban()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var streamer = $"web_e{suffix}";
        var moderator = $"web_f{suffix}";
        var troll = $"web_g{suffix}";
        await using var streamerContext = await fixture.NewContextAsync();
        await using var moderatorContext = await fixture.NewContextAsync();
        await using var trollContext = await fixture.NewContextAsync();
        var a = await WebClientTests.SignUpAsync(streamerContext, streamer);
        var m = await WebClientTests.SignUpAsync(moderatorContext, moderator);
        var c = await WebClientTests.SignUpAsync(trollContext, troll);

        await a.GotoAsync("/dashboard/moderators");
        await Expect(a.GetByTestId("no-moderators")).ToBeVisibleAsync();
        await Expect(a.GetByTestId("no-bans")).ToBeVisibleAsync();
        await a.GetByTestId("mod-username").FillAsync($"nobody_{suffix}");
        await a.GetByTestId("mod-add").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Alert).Filter(new() { HasText = $"There is no user called nobody_{suffix}" })).ToBeVisibleAsync();
        await a.GetByTestId("mod-username").FillAsync(moderator);
        await a.GetByTestId("mod-add").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{moderator} is a moderator now" })).ToBeVisibleAsync();
        await Expect(a.GetByTestId("moderator")).ToHaveCountAsync(1);
        await Expect(a.GetByTestId("moderator")).ToHaveAttributeAsync("data-username", moderator);

        // The new moderator's chat has the moderation buttons on other people's lines.
        await c.GotoAsync($"/{streamer}");
        await m.GotoAsync($"/{streamer}");
        await Expect(c.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(m.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await SendAsync(c, "troll message");
        var trollLine = m.GetByTestId("chat-line").Filter(new() { HasText = "troll message" });
        await Expect(trollLine.GetByTestId("mod-ban")).ToBeVisibleAsync();
        await trollLine.GetByTestId("mod-ban").ClickAsync();
        await Expect(m.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{troll} is banned" })).ToBeVisibleAsync();
        await Expect(trollLine).ToHaveCountAsync(0);
        await SendAsync(c, "still here?");
        await Expect(c.GetByTestId("chat-refusal")).ToContainTextAsync("banned");

        // The owner sees the ban by name and lifts it.
        await a.ReloadAsync();
        var banned = a.GetByTestId("banned");
        await Expect(banned).ToHaveCountAsync(1);
        await Expect(banned).ToHaveAttributeAsync("data-username", troll);
        await banned.GetByTestId("unban").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{troll} can chat again" })).ToBeVisibleAsync();
        await Expect(a.GetByTestId("no-bans")).ToBeVisibleAsync();
        await SendAsync(c, "I will behave");
        await Expect(m.GetByTestId("chat-line").Filter(new() { HasText = "I will behave" })).ToHaveCountAsync(1);

        await a.GetByTestId("moderator").GetByTestId("mod-remove").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{moderator} is no longer a moderator" })).ToBeVisibleAsync();
        await Expect(a.GetByTestId("no-moderators")).ToBeVisibleAsync();
        var room = await GraphQLAsync(moderatorContext, $"{{ chatRoom(channelId: \"{await ChannelIdAsync(streamer)}\") {{ canModerate }} }}");
        Assert.False(room.GetProperty("chatRoom").GetProperty("canModerate").GetBoolean());
    }

    [Fact]
    public async Task A_plan_is_created_edited_and_archived_and_viewers_see_only_active_plans()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var streamer = $"web_h{suffix}";
        await using var streamerContext = await fixture.NewContextAsync();
        await using var viewerContext = await fixture.NewContextAsync();
        var a = await WebClientTests.SignUpAsync(streamerContext, streamer);
        a.Dialog += (_, dialog) => dialog.AcceptAsync();
        var v = await viewerContext.NewPageAsync();

        await a.GotoAsync("/dashboard/plans");
        await Expect(a.GetByTestId("no-plans")).ToBeVisibleAsync();
        var form = a.GetByTestId("plan-form");
        await form.GetByTestId("plan-title").FillAsync("Supporter");
        await form.GetByTestId("plan-description").FillAsync("Emotes and a badge");
        await form.GetByTestId("plan-currency").SelectOptionAsync("eur");

        await form.GetByTestId("plan-price").FillAsync("five");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Enter the price as an amount" })).ToBeVisibleAsync();
        await form.GetByTestId("plan-price").FillAsync("0.50");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Alert).Filter(new() { HasText = "A price is 100 to 100000 minor units" })).ToBeVisibleAsync();

        await form.GetByTestId("plan-price").FillAsync("4.99");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = "Plan created" })).ToBeVisibleAsync();
        var plan = a.GetByTestId("plan").Filter(new() { Has = a.GetByTestId("plan-name").GetByText("Supporter") });
        await Expect(a.GetByTestId("plan")).ToHaveCountAsync(1);
        await Expect(plan.GetByTestId("plan-price-text")).ToHaveTextAsync("€4.99 / month");
        await Expect(plan).ToContainTextAsync("Emotes and a badge");
        await Expect(form.GetByTestId("plan-title")).ToHaveValueAsync(string.Empty);

        await form.GetByTestId("plan-title").FillAsync("Fan club");
        await form.GetByTestId("plan-currency").SelectOptionAsync("usd");
        await form.GetByTestId("plan-price").FillAsync("3");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(a.GetByTestId("plan")).ToHaveCountAsync(2);
        var fanClub = a.GetByTestId("plan").Filter(new() { Has = a.GetByTestId("plan-name").GetByText("Fan club") });
        await Expect(fanClub.GetByTestId("plan-price-text")).ToHaveTextAsync("$3.00 / month");

        await v.GotoAsync($"/{streamer}");
        var offered = v.GetByTestId("sponsor-plan");
        await Expect(offered).ToHaveCountAsync(2);
        await Expect(offered.Filter(new() { HasText = "Supporter" })).ToContainTextAsync("€4.99 / month");
        await Expect(offered.Filter(new() { HasText = "Fan club" }).GetByTestId("sponsor-button")).ToHaveTextAsync("Log in to sponsor");
        await ShotAsync(v, "channel-plans.png", fullPage: true);

        await plan.GetByTestId("plan-edit").ClickAsync();
        var edit = a.GetByTestId("plan-edit-form");
        await Expect(edit.GetByTestId("plan-price")).ToHaveValueAsync("4.99");
        await edit.GetByTestId("plan-title").FillAsync("Super supporter");
        await edit.GetByTestId("plan-price").FillAsync("7,5");
        await edit.GetByTestId("plan-currency").SelectOptionAsync("uah");
        await edit.GetByTestId("plan-save").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = "Plan saved" })).ToBeVisibleAsync();
        var edited = a.GetByTestId("plan").Filter(new() { Has = a.GetByTestId("plan-name").GetByText("Super supporter") });
        await Expect(edited.GetByTestId("plan-price-text")).ToHaveTextAsync(new Regex(@"^UAH\s7\.50 / month$"));
        await a.GetByTestId("lang").SelectOptionAsync("uk");
        // Ukrainian formatting: decimal comma, the currency after (₴ or грн, as the browser's ICU data has it).
        await Expect(edited.GetByTestId("plan-price-text")).ToHaveTextAsync(new Regex(@"^7,50\s(₴|грн) / місяць$"));
        await a.GetByTestId("lang").SelectOptionAsync("en");

        await edited.GetByTestId("plan-archive").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = "Plan archived" })).ToBeVisibleAsync();
        await Expect(edited.GetByTestId("plan-archived")).ToBeVisibleAsync();
        await Expect(edited.GetByTestId("plan-edit")).ToHaveCountAsync(0);
        await a.ReloadAsync();
        await Expect(a.GetByTestId("plan")).ToHaveCountAsync(2);
        await ShotAsync(a, "dashboard-plans.png", fullPage: true);
        await Expect(edited).ToHaveAttributeAsync("data-archived", "true");
        await Expect(fanClub).ToHaveAttributeAsync("data-archived", "false");

        // The archived plan is kept for its owner but no longer offered.
        await v.ReloadAsync();
        await Expect(offered).ToHaveCountAsync(1);
        await Expect(offered).ToContainTextAsync("Fan club");
    }

    [Fact]
    public async Task A_viewer_sponsors_through_checkout_and_both_see_the_payment()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var streamer = $"web_i{suffix}";
        var fan = $"web_j{suffix}";
        await using var streamerContext = await fixture.NewContextAsync();
        await using var fanContext = await fixture.NewContextAsync();
        var a = await WebClientTests.SignUpAsync(streamerContext, streamer);
        var f = await WebClientTests.SignUpAsync(fanContext, fan);

        await a.GotoAsync("/dashboard/plans");
        var form = a.GetByTestId("plan-form");
        await form.GetByTestId("plan-title").FillAsync("Backer");
        await form.GetByTestId("plan-price").FillAsync("4.99");
        await form.GetByTestId("plan-currency").SelectOptionAsync("eur");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(a.GetByTestId("plan")).ToHaveCountAsync(1);

        // Stripe's hosted page, stood in for: links back to the return URLs the platform gave Stripe.
        await fanContext.RouteAsync("https://checkout.stripe.com/**", route =>
        {
            var sessionId = new Uri(route.Request.Url).AbsolutePath.Split('/')[^1];
            var pay = WebUtility.HtmlEncode(fixture.Stripe.SuccessUrl(sessionId).ToString());
            var back = WebUtility.HtmlEncode(fixture.Stripe.CancelUrl(sessionId).ToString());
            return route.FulfillAsync(new()
            {
                ContentType = "text/html; charset=utf-8",
                Body = $"<!doctype html><title>Checkout</title><a id=\"pay\" href=\"{pay}\">Pay</a> <a id=\"back\" href=\"{back}\">Back</a>",
            });
        });

        await f.GotoAsync($"/{streamer}");
        var offered = f.GetByTestId("sponsor-plan");
        await Expect(offered).ToContainTextAsync("€4.99 / month");

        // First the fan changes their mind on the checkout page.
        await offered.GetByTestId("sponsor-button").ClickAsync();
        await Expect(f).ToHaveURLAsync(CheckoutUrl());
        var firstSession = SessionOf(f.Url);
        await f.Locator("#back").ClickAsync();
        await Expect(f).ToHaveURLAsync(PathIs($"/{streamer}"));
        await Expect(f.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Checkout cancelled" })).ToBeVisibleAsync();

        // Then pays: the same open session is handed out again, and Stripe's webhooks confirm it.
        await f.GetByTestId("sponsor-button").ClickAsync();
        await Expect(f).ToHaveURLAsync(CheckoutUrl());
        var sessionId = SessionOf(f.Url);
        Assert.Equal(firstSession, sessionId);
        var checkout = fixture.Stripe.Checkout(sessionId);
        Assert.Equal(await ChannelIdAsync(streamer), checkout.ChannelId);
        Assert.Equal(await ChannelIdAsync(fan), checkout.PayerId);
        using (var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress })
        {
            await StripeWebhooks.PayAsync(http, checkout, amount: 499, currency: "eur");
        }

        await f.Locator("#pay").ClickAsync();
        await Expect(f).ToHaveURLAsync(PathIs($"/{streamer}"));
        await Expect(f.GetByRole(AriaRole.Status).Filter(new() { HasText = "Thank you for sponsoring" })).ToBeVisibleAsync();
        await Expect(f.GetByTestId("sponsoring")).ToContainTextAsync("You sponsor this channel (Backer)");
        await Expect(f.GetByTestId("sponsor-button")).ToBeDisabledAsync();

        await f.GetByTestId("nav-sponsorships").ClickAsync();
        var mine = f.GetByTestId("my-sponsorship");
        await Expect(mine).ToHaveCountAsync(1);
        await Expect(mine).ToHaveAttributeAsync("data-channel", streamer);
        await Expect(mine).ToHaveAttributeAsync("data-status", "ACTIVE");
        await Expect(mine).ToContainTextAsync("Backer");
        var paid = f.GetByTestId("my-transaction");
        await Expect(paid).ToHaveCountAsync(1);
        await Expect(paid).ToHaveAttributeAsync("data-status", "SUCCESS");
        await Expect(paid).ToContainTextAsync("€4.99");
        await Expect(paid).ToContainTextAsync("paid");
        await ShotAsync(f, "sponsorships.png");

        await a.GetByTestId("dash-tab-income").ClickAsync();
        var sponsor = a.GetByTestId("sponsor");
        await Expect(sponsor).ToHaveCountAsync(1);
        await Expect(sponsor).ToHaveAttributeAsync("data-username", fan);
        await Expect(sponsor).ToContainTextAsync("Backer");
        var income = a.GetByTestId("transaction");
        await Expect(income).ToHaveCountAsync(1);
        await Expect(income).ToHaveAttributeAsync("data-status", "SUCCESS");
        await Expect(income).ToContainTextAsync(fan);
        await Expect(income).ToContainTextAsync("€4.99");
        await Expect(a.GetByTestId("transactions-more")).ToHaveCountAsync(0);
        await ShotAsync(a, "dashboard-income.png");
    }

    /// <summary>A picture for the README (with WG_UPDATE_SCREENSHOTS=1; otherwise into a temporary folder), without the passing toasts.</summary>
    private static async Task ShotAsync(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(WebClientTests.Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebClientTests.Screenshots, name), FullPage = fullPage, Style = ".toasts { display: none; }" });
    }

    /// <summary>Saves and waits for this save's confirmation (earlier toasts gone first, so one cannot stand in for it).</summary>
    private static async Task SaveChatSettingsAsync(IPage page)
    {
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await page.GetByTestId("cs-save").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Chat settings saved" })).ToBeVisibleAsync();
    }

    private async Task<Guid> ChannelIdAsync(string username)
    {
        var data = await fixture.CreateClient().DataAsync("query($u: String!) { channel(username: $u) { id } }", new { u = username });
        return Guid.Parse(data.GetProperty("channel").GetProperty("id").GetString()!);
    }

    /// <summary>A GraphQL query with the context's cookies (its signed-in session); returns <c>data</c>.</summary>
    private static async Task<JsonElement> GraphQLAsync(IBrowserContext context, string query)
    {
        var response = await context.APIRequest.PostAsync("/graphql", new() { DataObject = new { query } });
        Assert.True(response.Ok, $"POST /graphql answered {response.Status}");
        var body = (await response.JsonAsync())!.Value;
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        return body.GetProperty("data");
    }

    private static string SessionOf(string checkoutUrl) => new Uri(checkoutUrl).AbsolutePath.Split('/')[^1];

    private static async Task SendAsync(IPage page, string text)
    {
        await page.GetByTestId("chat-input").FillAsync(text);
        await page.GetByTestId("chat-send").ClickAsync();
    }

    /// <summary>The page's URL has exactly this path and no query (a return from Stripe drops ?sponsorship=...).</summary>
    private static Regex PathIs(string path) => new($"^http://127\\.0\\.0\\.1:\\d+{Regex.Escape(path)}$");

    [GeneratedRegex(@"^https://checkout\.stripe\.com/c/pay/cs_test_[0-9a-f]{32}")]
    private static partial Regex CheckoutUrl();
}
