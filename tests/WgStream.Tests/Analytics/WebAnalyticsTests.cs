using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WgStream.Tests.Sponsorship;
using WgStream.Tests.Streams;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Analytics;

/// <summary>
/// A streamer goes live from an encoder (ffmpeg publishing to the real nginx-rtmp, as OBS would), a
/// fan watches, chats, follows and sponsors, the encoder stops; the streamer then finds the
/// broadcast in the dashboard's Analytics tab with its figures, its charts (also dark and on a
/// phone) and its series as CSV, and nobody else can open it.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebAnalyticsTests(WebFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions GoingLive = new() { Timeout = 30_000 };

    [Fact]
    public async Task A_broadcast_with_chat_a_follow_and_a_sponsor_shows_up_charted_in_analytics()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_an", "web_af");
        var (streamer, fan, a, b) = (people.Streamer, people.Viewer, people.A, people.B);

        // A plan to sponsor, and Stripe's hosted checkout page stood in for (links back to the platform).
        await a.GotoAsync("/dashboard/plans");
        var form = a.GetByTestId("plan-form");
        await form.GetByTestId("plan-title").FillAsync("Backer");
        await form.GetByTestId("plan-price").FillAsync("4.99");
        await form.GetByTestId("plan-currency").SelectOptionAsync("eur");
        await form.GetByTestId("plan-save").ClickAsync();
        await Expect(a.GetByTestId("plan")).ToHaveCountAsync(1);
        await people.ViewerContext.RouteAsync("https://checkout.stripe.com/**", route =>
        {
            var sessionId = new Uri(route.Request.Url).AbsolutePath.Split('/')[^1];
            var pay = WebUtility.HtmlEncode(fixture.Stripe.SuccessUrl(sessionId).ToString());
            return route.FulfillAsync(new() { ContentType = "text/html; charset=utf-8", Body = $"<!doctype html><title>Checkout</title><a id=\"pay\" href=\"{pay}\">Pay</a>" });
        });

        // Into the encoder: the ingest URL and the key from the dashboard.
        await a.GotoAsync("/dashboard");
        await a.GetByTestId("reveal-key").ClickAsync();
        await Expect(a.GetByTestId("stream-key")).ToHaveAttributeAsync("type", "text");
        var server = await a.GetByTestId("ingest-url").InputValueAsync();
        var key = await a.GetByTestId("stream-key").InputValueAsync();
        await using var ffmpeg = FfmpegPublisher.Start($"{server}/{key}", "320x180");

        // The fan watches, chats twice, follows and sponsors while the channel is live.
        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("live-badge")).ToBeVisibleAsync(GoingLive);
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        foreach (var line in new[] { "hello from the analytics test", "gg" })
        {
            await b.GetByTestId("chat-input").FillAsync(line);
            await b.GetByTestId("chat-send").ClickAsync();
            await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = line })).ToHaveCountAsync(1);
        }

        await b.GetByTestId("follow").ClickAsync();
        await Expect(b.GetByTestId("follow")).ToHaveTextAsync("Following");
        await b.GetByTestId("sponsor-plan").GetByTestId("sponsor-button").ClickAsync();
        await Expect(b).ToHaveURLAsync(CheckoutUrl());
        var checkout = fixture.Stripe.Checkout(new Uri(b.Url).AbsolutePath.Split('/')[^1]);
        using (var http = new HttpClient { BaseAddress = fixture.Api.BaseAddress })
        {
            await StripeWebhooks.PayAsync(http, checkout, amount: 499, currency: "eur");
        }

        await b.Locator("#pay").ClickAsync();
        await Expect(b.GetByRole(AriaRole.Status).Filter(new() { HasText = "Thank you for sponsoring" })).ToBeVisibleAsync();

        // The streamer sees the broadcast live in Analytics; a few samples go by.
        await a.GotoAsync("/dashboard/analytics");
        var card = a.GetByTestId("an-card").First;
        await Expect(card.Locator(".badge-live")).ToBeVisibleAsync();
        await card.ClickAsync();
        var detail = a.GetByTestId("an-broadcast");
        await Expect(detail).ToHaveAttributeAsync("data-live", "true");
        var streamId = Guid.Parse((await detail.GetAttributeAsync("data-stream-id"))!);
        await DriftTestKit.EventuallyAsync(async () => await SamplesAsync(streamId) >= 6, "The live broadcast was not sampled.", TimeSpan.FromSeconds(90));

        await ffmpeg.StopAsync();
        await Expect(b.GetByTestId("offline")).ToBeVisibleAsync(new() { Timeout = (float)(RtmpIngest.HeartbeatTimeout + TimeSpan.FromSeconds(10)).TotalMilliseconds });

        // After the end: the card with its exact figures, then the broadcast's page.
        await a.GotoAsync("/dashboard/analytics");
        card = a.GetByTestId("an-card").First;
        await Expect(card.Locator(".badge-live")).ToHaveCountAsync(0);
        await Expect(card.GetByTestId("an-card-chat")).ToHaveTextAsync("2");
        await Expect(card.GetByTestId("an-card-follows")).ToHaveTextAsync("1");
        await Expect(a.GetByTestId("an-total-broadcasts")).ToHaveTextAsync("1");
        await Expect(a.GetByTestId("an-chart-days")).ToHaveAttributeAsync("data-ready", "true");
        await ShotAsync(a, "dashboard-analytics-overview.png");
        await card.ClickAsync();
        await Expect(detail).ToHaveAttributeAsync("data-live", "false");
        // The page reads again until the last sample is written and the figures are final.
        await Expect(detail).ToHaveAttributeAsync("data-final", "true");
        await Expect(a.GetByTestId("an-chat-messages")).ToHaveTextAsync("2");
        await Expect(a.GetByTestId("an-chatters")).ToHaveTextAsync("1");
        await Expect(a.GetByTestId("an-follows")).ToHaveTextAsync("1");
        await Expect(a.GetByTestId("an-sponsors")).ToHaveTextAsync("1");
        await Expect(a.GetByTestId("an-revenue")).ToHaveTextAsync("€4.99");
        await Expect(a.GetByTestId("an-peak-viewers")).Not.ToHaveTextAsync("0");
        foreach (var chart in new[] { "an-chart-viewers", "an-chart-chat" })
        {
            await Expect(a.GetByTestId(chart)).ToHaveAttributeAsync("data-ready", "true");
            await Expect(a.GetByTestId(chart).Locator("canvas")).ToHaveCountAsync(1);
        }

        await ShotAsync(a, "dashboard-analytics.png", fullPage: true);

        // The series as CSV: the chat, the follow and the payment are in it.
        var download = await a.RunAndWaitForDownloadAsync(() => a.GetByTestId("an-export").ClickAsync());
        Assert.EndsWith($"{streamId}.csv", download.SuggestedFilename, StringComparison.Ordinal);
        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        Assert.Equal(["at", "duration_seconds", "viewers", "average_viewers", "peak_viewers", "chat_messages", "chatters", "new_followers", "new_sponsors", "revenue_eur_minor"], header);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(await SamplesAsync(streamId), rows.Count);
        int Sum(string column) => rows.Sum(r => int.Parse(r[header.IndexOf(column)], CultureInfo.InvariantCulture));
        Assert.Equal((2, 1, 1, 499), (Sum("chat_messages"), Sum("new_followers"), Sum("new_sponsors"), Sum("revenue_eur_minor")));

        // Dark, on a phone: redrawn in the dark colours, and nothing wider than the screen.
        await a.SetViewportSizeAsync(390, 844);
        await a.GetByTestId("menu-toggle").ClickAsync();
        await a.GetByTestId("theme").ClickAsync();
        await Expect(a.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(a.GetByTestId("an-chart-viewers")).ToHaveAttributeAsync("data-ready", "true");
        Assert.True(await a.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the phone");
        await ShotAsync(a, "dashboard-analytics-phone.png", fullPage: true);

        // Someone else's broadcast: the fan is told it is not theirs.
        await b.GotoAsync($"/dashboard/analytics/{streamId}");
        await Expect(b.GetByTestId("an-missing")).ToBeVisibleAsync();
    }

    /// <summary>A picture for the README (with WG_UPDATE_SCREENSHOTS=1; otherwise into a temporary folder), without the passing toasts.</summary>
    private static async Task ShotAsync(IPage page, string name, bool fullPage = false)
    {
        Directory.CreateDirectory(WebClientTests.Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebClientTests.Screenshots, name), FullPage = fullPage, Style = ".toasts { display: none; }" });
    }

    private async Task<long> SamplesAsync(Guid streamId)
    {
        await using var command = fixture.Database.DataSource.CreateCommand("SELECT count(*) FROM broadcast_samples WHERE stream_id = @s");
        command.Parameters.AddWithValue("s", streamId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex(@"^https://checkout\.stripe\.com/c/pay/cs_test_[0-9a-f]{32}")]
    private static partial Regex CheckoutUrl();
}
