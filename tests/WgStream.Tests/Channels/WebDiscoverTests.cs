using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Channels;

/// <summary>The live directory and categories with infinite scroll, the chat's pickers and modes, and the phone layout.</summary>
[Collection(WebDiscoverCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebDiscoverTests(WebDiscoverFixture fixture)
{
    /// <summary>Cards per page in the client (Directory.tsx PAGE_SIZE).</summary>
    private const int PageSize = 24;

    [Fact]
    public async Task Home_and_search_scroll_through_every_channel_exactly_once_and_say_when_all_are_shown()
    {
        var prefix = $"ds{Guid.NewGuid().ToString("N")[..8]}_";
        // More than a page: the second comes by scrolling, and the end is announced after it.
        var streamers = new WebStreamer[PageSize + 5];
        await Parallel.ForEachAsync(Enumerable.Range(0, streamers.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
            streamers[i] = await fixture.StreamerAsync($"{prefix}{i:D2}", category: null, title: $"Stream number {i}"));

        try
        {
            foreach (var streamer in streamers)
            {
                await fixture.GoLiveAsync(streamer);
            }

            // Three columns: a page of cards is far taller than the window.
            await using var context = await fixture.NewContextAsync(1000, 700);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");

            // One page first: the end of the list is below the fold, so nothing more is asked yet.
            var live = page.GetByTestId("live-channels");
            await Expect(live).ToHaveAttributeAsync("data-count", PageSize.ToString(CultureInfo.InvariantCulture));
            await Expect(page.GetByTestId("live-channels-done")).ToHaveCountAsync(0);
            await Expect(live.GetByTestId("card-viewers").First).ToContainTextAsync("viewers");

            var shown = await ScrollToTheEndAsync(page, "live-channels");
            AssertEachOnce(shown, streamers);

            // Search pages the same way (all of them share the prefix; offline ones would be listed too).
            await page.GetByTestId("search").FillAsync(prefix);
            var results = page.GetByTestId("search-results");
            await Expect(results).ToHaveAttributeAsync("data-count", PageSize.ToString(CultureInfo.InvariantCulture));
            AssertEachOnce(await ScrollToTheEndAsync(page, "search-results"), streamers);
        }
        finally
        {
            foreach (var streamer in streamers)
            {
                await fixture.GoOfflineAsync(streamer);
            }
        }
    }

    [Fact]
    public async Task A_category_page_lists_only_that_categorys_live_channels_and_cards_and_channels_link_to_it()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var art = new List<WebStreamer>();
        for (var i = 0; i < 3; i++)
        {
            art.Add(await fixture.StreamerAsync($"art{suffix}_{i}", "art", $"Painting {i}"));
        }

        var music = await fixture.StreamerAsync($"mus{suffix}", "music", "Guitar");
        var offline = await fixture.StreamerAsync($"off{suffix}", "art", "Not today");
        try
        {
            foreach (var streamer in art.Append(music))
            {
                await fixture.GoLiveAsync(streamer);
            }

            await using var context = await fixture.NewContextAsync();
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("menu-toggle")).ToBeHiddenAsync();
            await page.GetByTestId("nav-categories").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding("/categories"));
            await Expect(page.GetByTestId("category-tile-art").GetByTestId("category-live-count")).ToContainTextAsync("3 live");
            await Expect(page.GetByTestId("category-tile-music").GetByTestId("category-live-count")).ToContainTextAsync("1 live");
            await Expect(page.GetByTestId("category-tile-games").GetByTestId("category-live-count")).ToHaveTextAsync("0 live");

            await page.GetByTestId("category-tile-art").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding("/c/art"));
            await Expect(page.GetByTestId("category-name")).ToHaveTextAsync("Art");
            await Expect(page.GetByTestId("category-channels-done")).ToBeVisibleAsync();
            var listed = await CardUsernamesAsync(page, "category-channels");
            Assert.Equal(art.Select(s => s.Username).Order(), listed.Order());
            Assert.DoesNotContain(offline.Username, listed); // in the category, but not live
            await Expect(page.GetByTestId("category-channels").GetByTestId("card-category")).ToHaveTextAsync(["Art", "Art", "Art"]);

            // A card's category on the home page leads to that category.
            await page.GotoAsync("/");
            await page.GetByTestId($"channel-card-{music.Username}").GetByTestId("card-category").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding("/c/music"));
            Assert.Equal([music.Username], await CardUsernamesAsync(page, "category-channels"));

            // So does the channel page's.
            await page.GotoAsync($"/{art[0].Username}");
            await Expect(page.GetByTestId("channel-category")).ToHaveTextAsync("Art");
            await page.GetByTestId("channel-category").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding("/c/art"));
            await Expect(page.GetByTestId("category-channels")).ToHaveAttributeAsync("data-count", "3");

            await page.GotoAsync("/c/games");
            await Expect(page.GetByTestId("category-empty")).ToBeVisibleAsync();
            await page.GotoAsync("/c/no-such-thing");
            await Expect(page.GetByTestId("category-missing")).ToContainTextAsync("No such category");
            await Expect(page.GetByTestId("category-channels")).ToHaveCountAsync(0);
        }
        finally
        {
            foreach (var streamer in art.Append(music))
            {
                await fixture.GoOfflineAsync(streamer);
            }
        }
    }

    [Fact]
    public async Task Picked_emoji_and_emotes_reach_the_other_viewer_and_chat_modes_show_as_the_owner_changes_them()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var owner = await fixture.StreamerAsync($"own{suffix}", null, "Chat test");
        await using var senderContext = await fixture.NewContextAsync();
        await using var readerContext = await fixture.NewContextAsync();
        var a = await WebClientTests.SignUpAsync(senderContext, $"snd{suffix}");
        var b = await WebClientTests.SignUpAsync(readerContext, $"rdr{suffix}");
        await a.GotoAsync($"/{owner.Username}");
        await b.GotoAsync($"/{owner.Username}");
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat-modes")).ToHaveCountAsync(0);

        // The emoji goes where the caret is, the emote too (spaced from its neighbours), and the caret follows.
        var input = a.GetByTestId("chat-input");
        await input.FillAsync("ab");
        await input.PressAsync("ArrowLeft");
        await a.GetByTestId("emoji-toggle").ClickAsync();
        await a.GetByTestId("emoji-option").Filter(new() { HasText = "🔥" }).ClickAsync();
        await Expect(input).ToHaveValueAsync("a🔥b");
        await a.GetByTestId("emoji-toggle").ClickAsync();
        await a.GetByTestId("emoji-toggle").ClickAsync();
        await a.GetByTestId("emote-toggle").ClickAsync();
        await Expect(a.GetByTestId("emoji-picker")).ToHaveCountAsync(0);
        await a.Locator("[data-testid=emote-option][data-code=':wgHype:']").ClickAsync();
        await Expect(input).ToHaveValueAsync("a🔥 :wgHype: b");
        await input.PressAsync("End");
        await input.PressSequentiallyAsync(" picked");
        await a.GetByTestId("chat-send").ClickAsync();
        await Expect(input).ToHaveValueAsync(string.Empty);

        var line = b.GetByTestId("chat-line").Filter(new() { HasText = "picked" });
        await Expect(line).ToHaveCountAsync(1);
        await Expect(line.Locator(".text")).ToContainTextAsync("a🔥");
        await Expect(line.Locator("img.emote")).ToHaveAttributeAsync("src", "/emotes/wgHype.svg");

        // Badges carry their meaning as a title.
        await owner.Client.DataAsync("mutation($c: ID!) { sendChatMessage(channelId: $c, text: \"welcome all\") { id } }", new { c = owner.Account.Id });
        var welcome = b.GetByTestId("chat-line").Filter(new() { HasText = "welcome all" });
        await Expect(welcome.GetByTestId("badge-broadcaster")).ToHaveAttributeAsync("title", "Broadcaster");

        // The owner turns slow mode and followers-only on elsewhere: both pages show it without a reload.
        const string settings = "mutation($c: ID!, $i: ChatSettingsInput!) { updateChatSettings(channelId: $c, input: $i) { slowModeSeconds } }";
        await owner.Client.DataAsync(settings, new { c = owner.Account.Id, i = new { slowModeSeconds = 600 } });
        await Expect(b.GetByTestId("chat-mode-slow")).ToHaveTextAsync("Slow mode: 600 s");
        await Expect(a.GetByTestId("chat-mode-slow")).ToHaveTextAsync("Slow mode: 600 s");

        // A spoke less than 600 s ago, so the next message is refused, and the reason is shown.
        await input.FillAsync("too soon");
        await a.GetByTestId("chat-send").ClickAsync();
        await Expect(a.GetByTestId("chat-refusal")).ToContainTextAsync("Slow mode is on");

        await owner.Client.DataAsync(settings, new { c = owner.Account.Id, i = new { followersOnly = true, followersOnlyMinutes = 10 } });
        await Expect(b.GetByTestId("chat-mode-followers")).ToHaveTextAsync("Followers only (10 min)");
        await b.ReloadAsync();
        await Expect(b.GetByTestId("chat-mode-slow")).ToHaveTextAsync("Slow mode: 600 s");
        await Expect(b.GetByTestId("chat-mode-followers")).ToBeVisibleAsync();

        await owner.Client.DataAsync(settings, new { c = owner.Account.Id, i = new { slowModeSeconds = 0, followersOnly = false } });
        await Expect(b.GetByTestId("chat-modes")).ToHaveCountAsync(0);
        await Expect(a.GetByTestId("chat-modes")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Nickname_colours_are_readable_in_both_themes()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var owner = await fixture.StreamerAsync($"col{suffix}", null, "Colours");
        const string send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id } }";
        var navy = await fixture.StreamerAsync($"navy{suffix}", null, "x");
        var yellow = await fixture.StreamerAsync($"yell{suffix}", null, "x");
        await navy.Client.DataAsync("mutation { updateChatColor(color: \"#000080\") }");
        await yellow.Client.DataAsync("mutation { updateChatColor(color: \"#FFFF00\") }");
        await navy.Client.DataAsync(send, new { c = owner.Account.Id, t = "navy here" });
        await yellow.Client.DataAsync(send, new { c = owner.Account.Id, t = "yellow here" });

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/{owner.Username}");
        var navyNick = page.GetByTestId("chat-line").Filter(new() { HasText = "navy here" }).GetByTestId("chat-nick");
        var yellowNick = page.GetByTestId("chat-line").Filter(new() { HasText = "yellow here" }).GetByTestId("chat-nick");
        await Expect(navyNick).ToHaveCSSAsync("color", "rgb(0, 0, 128)"); // already readable on white: unchanged

        foreach (var theme in new[] { "light", "dark" })
        {
            await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", theme);
            var background = await page.GetByTestId("chat").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
            foreach (var nick in new[] { navyNick, yellowNick })
            {
                var color = await nick.EvaluateAsync<string>("e => getComputedStyle(e).color");
                var ratio = Contrast(Rgb(color), Rgb(background));
                Assert.True(ratio >= 4.5, $"{theme}: {color} on {background} has a contrast of {ratio:F2}.");
            }

            if (theme == "light")
            {
                await page.GetByTestId("theme").ClickAsync();
            }
        }

        // Still the user's hue: the dark theme shows navy as a lighter blue.
        var dark = Rgb(await navyNick.EvaluateAsync<string>("e => getComputedStyle(e).color"));
        Assert.True(dark.B > dark.R && dark.B > dark.G, $"navy became {dark}");
    }

    [Fact]
    public async Task On_a_phone_the_channel_page_stacks_player_over_chat_and_the_top_bar_is_a_menu()
    {
        var streamer = await fixture.StreamerAsync($"ph{Guid.NewGuid().ToString("N")[..8]}", "music", "Phone test");
        await fixture.GoLiveAsync(streamer);
        try
        {
            await using var context = await fixture.NewContextAsync(390, 844);
            var page = await context.NewPageAsync();
            await page.GotoAsync($"/{streamer.Username}");
            await Expect(page.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");

            var player = await BoxAsync(page.Locator(".channel-main .player"));
            var chat = await BoxAsync(page.GetByTestId("chat"));
            Assert.True(chat.Y >= player.Y + player.Height, $"chat at y={chat.Y} should be below the player (y={player.Y}, height {player.Height}).");
            Assert.True(player.Width > 340 && chat.Width > 340, $"player {player.Width}px and chat {chat.Width}px should span the phone's width.");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");

            // The top bar shows the brand and a menu button; the links are in the menu.
            var login = page.GetByTestId("nav-login");
            await Expect(page.GetByTestId("menu-toggle")).ToBeVisibleAsync();
            await Expect(login).ToBeHiddenAsync();
            await Expect(page.GetByTestId("nav-categories")).ToBeHiddenAsync();
            await page.GetByTestId("menu-toggle").ClickAsync();
            await Expect(page.GetByTestId("menu-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
            await Expect(login).ToBeVisibleAsync();
            await Expect(page.GetByTestId("lang")).ToBeVisibleAsync();
            await page.GetByTestId("nav-categories").ClickAsync();
            await Expect(page).ToHaveURLAsync(UrlEnding("/categories"));
            await Expect(login).ToBeHiddenAsync();
            await Expect(page.GetByTestId("category-tile-music").GetByTestId("category-live-count")).ToContainTextAsync("1 live");
        }
        finally
        {
            await fixture.GoOfflineAsync(streamer);
        }
    }

    /// <summary>Scrolls the list's end into view until it says everyone is shown; returns the usernames in order.</summary>
    private static async Task<List<string>> ScrollToTheEndAsync(IPage page, string list)
    {
        var end = page.GetByTestId($"{list}-end");
        for (var pages = 1; pages < 10; pages++)
        {
            if (await end.GetAttributeAsync("data-state") == "done")
            {
                return await CardUsernamesAsync(page, list);
            }

            var before = await page.GetByTestId(list).GetAttributeAsync("data-count");
            await end.ScrollIntoViewIfNeededAsync();
            // The next page arrives because the end came into view (no button is pressed).
            await page.WaitForFunctionAsync(
                "([id, before]) => document.querySelector(`[data-testid=${id}]`).dataset.count !== before || document.querySelector(`[data-testid=${id}-end]`).dataset.state === 'done'",
                new object[] { list, before! },
                new() { Timeout = 15_000 });
            await Expect(end).Not.ToHaveAttributeAsync("data-state", "loading");
        }

        throw new InvalidOperationException($"{list} did not reach its end.");
    }

    private static async Task<List<string>> CardUsernamesAsync(IPage page, string list)
    {
        await Expect(page.GetByTestId($"{list}-end")).ToHaveAttributeAsync("data-state", "done");
        return [.. await page.GetByTestId(list).Locator("article").EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.username)")];
    }

    private static void AssertEachOnce(List<string> shown, IEnumerable<WebStreamer> expected)
    {
        Assert.Equal(shown.Count, shown.Distinct().Count());
        foreach (var streamer in expected)
        {
            Assert.Single(shown, streamer.Username);
        }
    }

    private static async Task<LocatorBoundingBoxResult> BoxAsync(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("not laid out");

    private static (int R, int G, int B) Rgb(string css)
    {
        var parts = RgbPattern().Match(css);
        Assert.True(parts.Success, $"not an rgb() colour: {css}");
        return (int.Parse(parts.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(parts.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(parts.Groups[3].Value, CultureInfo.InvariantCulture));
    }

    private static double Contrast((int R, int G, int B) a, (int R, int G, int B) b)
    {
        static double Channel(int v) => v / 255.0 <= 0.03928 ? v / 255.0 / 12.92 : Math.Pow(((v / 255.0) + 0.055) / 1.055, 2.4);
        static double Luminance((int R, int G, int B) c) => (0.2126 * Channel(c.R)) + (0.7152 * Channel(c.G)) + (0.0722 * Channel(c.B));
        var (x, y) = (Luminance(a), Luminance(b));
        return (Math.Max(x, y) + 0.05) / (Math.Min(x, y) + 0.05);
    }

    private static Regex UrlEnding(string path) => new($"{Regex.Escape(path)}$");

    [GeneratedRegex(@"rgba?\((\d+),\s*(\d+),\s*(\d+)")]
    private static partial Regex RgbPattern();
}
