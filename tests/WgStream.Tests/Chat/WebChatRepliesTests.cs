using Microsoft.Playwright;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Chat;

/// <summary>
/// Replies, mentions, the pinned message and /clear in Chromium, between a broadcaster and a viewer
/// on the broadcaster's channel page.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebChatRepliesTests(WebFixture fixture)
{
    [Fact]
    public async Task A_reply_with_a_mention_reaches_the_broadcaster_who_pins_it_and_then_clears_the_chat()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_rs", "web_rv");
        var (streamer, viewer, a, b) = (people.Streamer, people.Viewer, people.A, people.B);
        await a.GotoAsync($"/{streamer}");
        await b.GotoAsync($"/{streamer}");
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");

        await WebSettingsTests.SendAsync(a, "who wants a shoutout?");
        var question = b.GetByTestId("chat-line").Filter(new() { HasText = "who wants a shoutout?" });
        await Expect(question).ToHaveCountAsync(1);
        await question.GetByTestId("reply-message").ClickAsync();
        await Expect(b.GetByTestId("chat-replying")).ToContainTextAsync($"@{streamer}");
        await Expect(b.GetByTestId("chat-input")).ToHaveValueAsync($"@{streamer} ");
        await b.GetByTestId("chat-input").PressSequentiallyAsync("me please");
        await b.GetByTestId("chat-send").ClickAsync();
        await Expect(b.GetByTestId("chat-replying")).ToHaveCountAsync(0);

        // The broadcaster sees the answer quoting the question, the mention highlighted for them, and hears of it.
        var answer = a.GetByTestId("chat-line").Filter(new() { HasText = "me please" });
        await Expect(answer).ToHaveCountAsync(1);
        await Expect(answer).ToHaveAttributeAsync("data-mentioned", "true");
        await Expect(answer.GetByTestId("chat-quote")).ToContainTextAsync($"@{streamer}: who wants a shoutout?");
        await Expect(answer.GetByTestId("mention")).ToHaveClassAsync("mention me");
        // The sender's avatar (a placeholder with their initial, as they uploaded none) is drawn beside the name.
        var avatar = answer.GetByTestId("chat-avatar");
        await Expect(avatar).ToHaveJSPropertyAsync("complete", true);
        Assert.Equal(70, await avatar.EvaluateAsync<int>("img => img.naturalWidth"));
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "me please" })).ToHaveAttributeAsync("data-mentioned", "false");
        await WebClientTests.ScreenshotAsync(a, "chat-replies.png");
        await Expect(a.GetByTestId("bell-count")).ToHaveTextAsync("1", new() { Timeout = 15_000 });
        await a.GetByTestId("bell").ClickAsync();
        await Expect(a.GetByTestId("notification").First).ToContainTextAsync($"{viewer} replied to you");

        // Pinned for five minutes: the viewer sees it above the chat until it is unpinned.
        a.Dialog += (_, dialog) => _ = dialog.AcceptAsync("5");
        await answer.GetByTestId("mod-pin").ClickAsync();
        await Expect(b.GetByTestId("chat-pinned")).ToContainTextAsync("me please");
        await b.ReloadAsync();
        await Expect(b.GetByTestId("chat-pinned")).ToContainTextAsync("me please");
        await Expect(b.GetByTestId("unpin")).ToHaveCountAsync(0);
        await a.GetByTestId("unpin").ClickAsync();
        await Expect(b.GetByTestId("chat-pinned")).ToHaveCountAsync(0);

        // /clear empties every view, and a reload shows nothing from before it.
        await WebSettingsTests.SendAsync(a, "/clear");
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(0);
        await Expect(a.GetByTestId("chat-line")).ToHaveCountAsync(0);
        await b.ReloadAsync();
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await WebSettingsTests.SendAsync(b, "fresh start");
        await Expect(a.GetByTestId("chat-line")).ToHaveCountAsync(1);
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(1);
    }
}
