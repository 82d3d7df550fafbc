using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Channels;

/// <summary>
/// Discovery in the browser: the empty home page's invitation, tags set on the dashboard and
/// followed to a tag page that lists only those channels, a mature channel's confirmation, and the
/// followed-channels sidebar picking up a go-live without a reload. Channels go live through the
/// ingest callback (WebDiscoverFixture); each test ends the broadcasts it started.
/// </summary>
[Collection(WebDiscoverCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebDiscoveryFiltersTests(WebDiscoverFixture fixture)
{
    [Fact]
    public async Task With_nobody_live_the_home_page_invites_a_visitor_to_sign_up_and_a_member_to_go_live()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        var empty = page.GetByTestId("nobody-live");
        await Expect(empty).ToContainTextAsync("Nobody is live right now");
        await empty.GetByTestId("empty-signup").ClickAsync();
        await Expect(page).ToHaveURLAsync(UrlEnding("/signup"));

        var member = await WebClientTests.SignUpAsync(context, $"em{Guid.NewGuid().ToString("N")[..10]}");
        await member.GotoAsync("/");
        await Expect(member.GetByTestId("empty-signup")).ToHaveCountAsync(0);
        await member.GetByTestId("empty-go-live").ClickAsync();
        await Expect(member).ToHaveURLAsync(UrlEnding("/dashboard"));
        await Expect(member.GetByTestId("ingest-url")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Tags_set_on_the_dashboard_show_on_cards_and_a_tag_page_lists_only_the_live_channels_with_it()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var tag = $"Speedrun{suffix}";
        var runner = await fixture.StreamerAsync($"run{suffix}", "games", "Any% attempts");
        var other = await fixture.StreamerAsync($"oth{suffix}", "games", "Something else");
        await using var context = await fixture.NewContextAsync();
        var owner = await WebClientTests.SignUpAsync(context, $"own{suffix}");

        // The owner types tags (one bad, refused as typed), picks a language and saves.
        await owner.GotoAsync("/dashboard");
        await owner.GetByTestId("stream-title").FillAsync("Glitchless practice");
        await owner.GetByTestId("tag-input").FillAsync("two words");
        await owner.GetByTestId("tag-input").PressAsync("Enter");
        await Expect(owner.GetByTestId("tag-error")).ToBeVisibleAsync();
        await owner.GetByTestId("tag-input").FillAsync(tag);
        await owner.GetByTestId("tag-input").PressAsync("Enter");
        await owner.GetByTestId("tag-input").FillAsync("Chill");
        await owner.GetByTestId("tag-input").PressAsync(",");
        await owner.GetByTestId("stream-language").SelectOptionAsync("uk");
        await owner.GetByTestId("save-stream").ClickAsync();
        await Expect(owner.GetByText("Saved")).ToBeVisibleAsync();
        await owner.ReloadAsync();
        await Expect(owner.GetByTestId($"remove-tag-{tag.ToLowerInvariant()}")).ToBeVisibleAsync();
        await Expect(owner.GetByTestId("stream-language")).ToHaveValueAsync("uk");

        await runner.Client.DataAsync("mutation($t: [String!]) { updateStream(input: {tags: $t}) { tags } }", new { t = new[] { tag.ToLowerInvariant() } });
        var ownerStreamer = new WebStreamer(new Infrastructure.TestAccount(Guid.Empty, $"own{suffix}", "", "", ""), null!, await StreamKeyAsync(owner), 9000 + Random.Shared.Next(1000));
        var live = new[] { runner, other, ownerStreamer };
        try
        {
            foreach (var streamer in live)
            {
                await fixture.GoLiveAsync(streamer);
            }

            var page = await (await fixture.NewContextAsync()).NewPageAsync();
            await page.GotoAsync("/");
            var card = page.GetByTestId("live-channels").GetByTestId($"channel-card-own{suffix}");
            // The card's headline is the stream's title, the channel's name under it: not the name twice.
            await Expect(card.GetByTestId("card-title")).ToHaveTextAsync("Glitchless practice");
            await Expect(card.GetByTestId("card-name")).ToHaveTextAsync($"own{suffix}");
            await Expect(card.GetByTestId($"tag-{tag.ToLowerInvariant()}")).ToHaveTextAsync(tag);

            await card.GetByTestId($"tag-{tag.ToLowerInvariant()}").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding($"/t/{tag.ToLowerInvariant()}"));
            await Expect(page.GetByTestId("tag-title")).ToContainTextAsync(tag.ToLowerInvariant());
            await Expect(page.GetByTestId("tag-channels-done")).ToBeVisibleAsync();
            var listed = await page.GetByTestId("tag-channels").Locator("[data-username]").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.username)");
            Assert.Equal(new[] { runner.Username, $"own{suffix}" }.Order(), listed.Order());

            // The channel page shows the title, the tags (leading to the same page) and the language.
            await page.GotoAsync($"/own{suffix}");
            await Expect(page.GetByTestId("channel-stream-title")).ToHaveTextAsync("Glitchless practice");
            await Expect(page.GetByTestId("channel-language")).ToHaveTextAsync("Ukrainian");
            await page.GetByTestId("channel-tags").GetByTestId("tag-chill").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding("/t/chill"));
            await Expect(page.GetByTestId($"channel-card-own{suffix}")).ToBeVisibleAsync();
            await Expect(page.GetByTestId($"channel-card-{runner.Username}")).ToHaveCountAsync(0);

            // Nobody live with a tag: the page says so.
            await page.GotoAsync($"/t/nobody{suffix}");
            await Expect(page.GetByTestId("tag-empty")).ToBeVisibleAsync();
        }
        finally
        {
            foreach (var streamer in live)
            {
                await fixture.GoOfflineAsync(streamer);
            }
        }
    }

    [Fact]
    public async Task A_mature_channel_plays_only_after_the_viewer_confirms_and_the_answer_is_remembered()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var streamer = await fixture.StreamerAsync($"mat{suffix}", null, "Late night horror");
        await streamer.Client.DataAsync("mutation { updateStream(input: {mature: true}) { mature } }");
        await fixture.GoLiveAsync(streamer);
        try
        {
            await using var context = await fixture.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("live-channels").GetByTestId($"channel-card-{streamer.Username}").GetByTestId("card-mature")).ToHaveTextAsync("18+");

            await page.GotoAsync($"/{streamer.Username}");
            await Expect(page.GetByTestId("mature-gate")).ToContainTextAsync("mature audiences");
            await Expect(page.GetByTestId("player")).ToHaveCountAsync(0);
            // Chat and the channel stay usable behind the gate.
            await Expect(page.GetByTestId("channel-name")).ToContainTextAsync(streamer.Username);

            await page.GetByTestId("mature-confirm").ClickAsync();
            await Expect(page.GetByTestId("mature-gate")).ToHaveCountAsync(0);
            await Expect(page.GetByTestId("player")).ToBeVisibleAsync();

            await page.ReloadAsync();
            await Expect(page.GetByTestId("player")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("mature-gate")).ToHaveCountAsync(0);

            // Another browser is asked again, and going back leaves the page without loading the stream.
            await using var other = await fixture.NewContextAsync();
            var second = await other.NewPageAsync();
            await second.GotoAsync("/");
            await second.GotoAsync($"/{streamer.Username}");
            await Expect(second.GetByTestId("mature-gate")).ToBeVisibleAsync();
            await second.GetByTestId("mature-back").ClickAsync();
            await Expect(second).ToHaveURLAsync(UrlEnding("/"));
        }
        finally
        {
            await fixture.GoOfflineAsync(streamer);
        }
    }

    [Fact]
    public async Task The_followed_sidebar_shows_a_followed_channel_going_live_without_a_reload()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var streamer = await fixture.StreamerAsync($"fav{suffix}", "music", "Evening set");
        var quiet = await fixture.StreamerAsync($"qui{suffix}", null, "Never live here");
        await using var context = await fixture.NewContextAsync();
        var page = await WebClientTests.SignUpAsync(context, $"fan{suffix}");
        var sidebar = page.GetByTestId("followed-sidebar");
        await Expect(sidebar.GetByTestId("followed-empty")).ToBeVisibleAsync();

        foreach (var channel in new[] { quiet, streamer })
        {
            await page.GotoAsync($"/{channel.Username}");
            await page.GetByTestId("follow").ClickAsync();
            await Expect(page.GetByTestId("follow")).ToHaveTextAsync("Following");
        }

        // Both listed, offline, in name order (the follow refreshed the sidebar).
        await Expect(sidebar.GetByTestId($"followed-{streamer.Username}")).ToContainTextAsync("Offline");
        await Expect(sidebar.GetByTestId($"followed-{quiet.Username}")).ToContainTextAsync("Offline");
        await page.GotoAsync("/");
        try
        {
            // The go-live notice arrives on the bell, and the sidebar asks again: live, first, with its title.
            await fixture.GoLiveAsync(streamer);
            var entry = sidebar.GetByTestId($"followed-{streamer.Username}");
            await Expect(entry.GetByTestId("followed-live")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(entry).ToContainTextAsync("Evening set");
            await Expect(sidebar.Locator("a.followed").First).ToHaveAttributeAsync("data-testid", $"followed-{streamer.Username}");

            await entry.ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding($"/{streamer.Username}"));

            // The channel's followers page lists the fan.
            await page.GetByTestId("followers-link").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding($"/{streamer.Username}/followers"));
            await Expect(page.GetByTestId($"follower-fan{suffix}")).ToBeVisibleAsync();
        }
        finally
        {
            await fixture.GoOfflineAsync(streamer);
        }
    }

    private static async Task<string> StreamKeyAsync(IPage page)
    {
        await page.GetByTestId("reveal-key").ClickAsync();
        return await page.GetByTestId("stream-key").InputValueAsync();
    }

    private static Regex UrlEnding(string path) => new($"{Regex.Escape(path)}$");
}
