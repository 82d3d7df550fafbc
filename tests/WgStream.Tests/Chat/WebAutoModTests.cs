using Microsoft.Playwright;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Chat;

/// <summary>
/// AutoMod in Chromium: the broadcaster turns it on in the dashboard, a viewer's message is held
/// (they are told so, nobody sees it), the broadcaster sees it arrive live in the dashboard's queue
/// (graphql-ws) and in the chat panel (SignalR), allows one (it appears in the viewer's chat) and
/// denies another, and the moderation log records both.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebAutoModTests(WebFixture fixture)
{
    [Fact]
    public async Task A_moderator_allows_and_denies_held_messages_from_the_dashboard_and_from_chat()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_am", "web_av");
        var (streamer, viewer, a, b) = (people.Streamer, people.Viewer, people.A, people.B);

        await a.GotoAsync("/dashboard/chat");
        await a.GetByTestId("cs-automod").SelectOptionAsync("HIGH");
        await a.GetByTestId("cs-hold-links").CheckAsync();
        await a.GetByTestId("cs-domains").FillAsync("https://www.YouTube.com\nclips.example");
        await a.GetByTestId("cs-save").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = "Chat settings saved" })).ToBeVisibleAsync();
        await Expect(a.GetByTestId("cs-domains")).ToHaveValueAsync("clips.example\nyoutube.com");

        // The dashboard's queue is open and empty before anything is held: what follows arrives live.
        await a.GotoAsync("/dashboard/safety");
        await Expect(a.GetByTestId("held-queue")).ToContainTextAsync("No message is waiting");

        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await WebSettingsTests.SendAsync(b, "what an idiot");
        await Expect(b.GetByTestId("chat-held-notice")).ToContainTextAsync("held for review");
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(0);
        await WebSettingsTests.SendAsync(b, "watch youtube.com/watch?v=1");
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(1);

        var held = a.GetByTestId("held-message");
        await Expect(held).ToHaveCountAsync(1);
        await Expect(held).ToContainTextAsync("what an idiot");
        await Expect(held).ToContainTextAsync($"@{viewer} · insults");
        await held.GetByTestId("held-approve").ClickAsync();
        await Expect(a.GetByTestId("held-message")).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "what an idiot" })).ToHaveCountAsync(1);

        // In chat: the broadcaster's panel shows the queue above the messages, live over the hub.
        await a.GotoAsync($"/{streamer}");
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await WebSettingsTests.SendAsync(b, "free nitro at scam.com");
        await Expect(b.GetByTestId("chat-held-notice")).ToBeVisibleAsync();
        var inChat = a.GetByTestId("chat-held").GetByTestId("held-message");
        await Expect(inChat).ToContainTextAsync("free nitro at scam.com");
        await Expect(inChat).ToContainTextAsync("link");
        await inChat.GetByTestId("held-deny").ClickAsync();
        await Expect(a.GetByTestId("chat-held")).ToHaveCountAsync(0);
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(2);
        await Expect(a.GetByTestId("chat-line").Filter(new() { HasText = "scam.com" })).ToHaveCountAsync(0);

        await a.GotoAsync("/dashboard/safety");
        var entries = a.GetByTestId("moderation-entry");
        await Expect(entries.First).ToHaveAttributeAsync("data-action", "DENY_HELD_MESSAGE");
        await Expect(entries.First).ToContainTextAsync("free nitro at scam.com (AutoMod: links)");
        await Expect(entries.Nth(1)).ToHaveAttributeAsync("data-action", "APPROVE_HELD_MESSAGE");
    }
}
