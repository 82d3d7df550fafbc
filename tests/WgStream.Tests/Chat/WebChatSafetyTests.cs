using Microsoft.Playwright;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Chat;

/// <summary>
/// The broadcaster's Safety tab in Chromium: a blocked term refuses a viewer's message with its
/// reason, a VIP gets past slow mode with a badge, a reported message waits there to be resolved, and
/// the moderation log shows the actions.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebChatSafetyTests(WebFixture fixture)
{
    [Fact]
    public async Task A_broadcaster_blocks_a_term_names_a_vip_and_reads_the_moderation_log()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_s", "web_v");
        var (streamer, viewer, a, b) = (people.Streamer, people.Viewer, people.A, people.B);

        await a.GotoAsync("/dashboard/safety");
        await a.GetByTestId("blocked-term-input").FillAsync("idiot*");
        await a.GetByTestId("blocked-term-add").ClickAsync();
        await Expect(a.GetByTestId("blocked-term")).ToHaveAttributeAsync("data-term", "idiot*");

        // The viewer's message with it is refused, and says why; one without it goes through.
        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await WebSettingsTests.SendAsync(b, "you 1d10ts");
        await Expect(b.GetByTestId("chat-refusal")).ToContainTextAsync("contains a term this channel does not allow");
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(0);

        // Slow mode on; the viewer made a VIP sends twice in a row, with the badge.
        await a.GotoAsync("/dashboard/chat");
        await a.GetByTestId("cs-slow").FillAsync("60");
        await a.GetByTestId("cs-save").ClickAsync();
        await Expect(a.GetByRole(AriaRole.Status).Filter(new() { HasText = "Chat settings saved" })).ToBeVisibleAsync();
        await a.GotoAsync("/dashboard/safety");
        await a.GetByTestId("vip-username").FillAsync(viewer);
        await a.GetByTestId("vip-add").ClickAsync();
        await Expect(a.GetByTestId("vip")).ToHaveAttributeAsync("data-username", viewer);
        await b.ReloadAsync();
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await WebSettingsTests.SendAsync(b, "first");
        await WebSettingsTests.SendAsync(b, "second");
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(2);
        await Expect(b.GetByTestId("chat-line").Last.GetByTestId("badge-vip")).ToBeVisibleAsync();

        // The viewer reports a message (here the broadcaster's own, from the channel page); it waits in
        // the broadcaster's Safety tab, which dismisses it.
        await a.GotoAsync($"/{streamer}");
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await WebSettingsTests.SendAsync(a, "a message to report");
        var reported = b.GetByTestId("chat-line").Filter(new() { HasText = "a message to report" });
        await Expect(reported).ToHaveCountAsync(1);
        b.Dialog += (_, dialog) => _ = dialog.AcceptAsync("testing reports");
        await reported.GetByTestId("report-message").ClickAsync();
        await Expect(b.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reported" })).ToBeVisibleAsync();
        await a.GotoAsync("/dashboard/safety");
        var report = a.GetByTestId("report");
        await Expect(report).ToContainTextAsync("a message to report");
        await Expect(report).ToContainTextAsync($"testing reports · reported by @{viewer}");
        await report.GetByTestId("resolve-dismiss").ClickAsync();
        await Expect(a.GetByTestId("report")).ToHaveCountAsync(0);

        // The log, newest first, names who did what.
        await a.ReloadAsync();
        var entries = a.GetByTestId("moderation-entry");
        await Expect(entries.First).ToHaveAttributeAsync("data-action", "ADD_VIP");
        await Expect(entries.First).ToContainTextAsync($"@{viewer}");
        await Expect(entries.Filter(new() { HasText = "idiot*" })).ToHaveAttributeAsync("data-action", "BLOCKED_TERM_ADDED");
        await Expect(entries.Filter(new() { HasText = "slow mode" })).ToHaveCountAsync(1);
    }
}
