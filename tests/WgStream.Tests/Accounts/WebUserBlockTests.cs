using Microsoft.Playwright;
using WgStream.Tests.Web;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Accounts;

/// <summary>
/// Blocking in Chromium: a viewer blocks someone from a chat line, their lines leave and no new one
/// arrives while everyone else's still do; the settings list unblocks them; a channel page blocks too.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebUserBlockTests(WebFixture fixture)
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id } }";

    [Fact]
    public async Task A_viewer_blocks_a_pest_from_chat_stops_seeing_them_and_unblocks_them_in_settings()
    {
        await using var people = await TwoPeople.SignUpAsync(fixture, "web_bs", "web_bv");
        var (streamer, a, b) = (people.Streamer, people.A, people.B);
        var pestClient = fixture.CreateClient();
        var pest = await pestClient.RegisterAsync();
        var channelId = (await pestClient.DataAsync("query($n: String!) { channel(username: $n) { id } }", new { n = streamer })).GetProperty("channel").GetProperty("id").GetString();

        await a.GotoAsync($"/{streamer}");
        await b.GotoAsync($"/{streamer}");
        await Expect(a.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await pestClient.DataAsync(Send, new { c = channelId, t = "buy followers cheap" });
        var pestLines = b.GetByTestId("chat-line").Filter(new() { HasText = "buy followers cheap" });
        await Expect(pestLines).ToHaveCountAsync(1);

        b.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await pestLines.GetByTestId("block-sender").ClickAsync();
        await Expect(b.GetByRole(AriaRole.Status).Filter(new() { HasText = $"{pest.Username} is blocked" })).ToBeVisibleAsync();
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(0);

        // The pest goes on; the broadcaster then speaks. The viewer sees the broadcaster, never the pest,
        // though the pest's line went out first on the same ordered feed; the broadcaster sees both.
        await pestClient.DataAsync(Send, new { c = channelId, t = "still here" });
        await Expect(a.GetByTestId("chat-line").Filter(new() { HasText = "still here" })).ToHaveCountAsync(1);
        await WebSettingsTests.SendAsync(a, "welcome everyone");
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "welcome everyone" })).ToHaveCountAsync(1);
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(1);
        await b.ReloadAsync();
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat-line")).ToHaveCountAsync(1);

        await b.GotoAsync("/settings/blocked");
        var listed = b.GetByTestId("blocked-user");
        await Expect(listed).ToHaveCountAsync(1);
        await Expect(listed.GetByTestId("blocked-user-name")).ToHaveTextAsync(pest.Username);
        await listed.GetByTestId("unblock-user").ClickAsync();
        await Expect(b.GetByTestId("no-blocked-users")).ToBeVisibleAsync();
        await b.ReloadAsync();
        await Expect(b.GetByTestId("no-blocked-users")).ToBeVisibleAsync();

        // From the pest's channel page this time; the button says what a click will do.
        await b.GotoAsync($"/{pest.Username}");
        var button = b.GetByTestId("block-channel");
        await Expect(button).ToHaveTextAsync("Block");
        await button.ClickAsync();
        await Expect(button).ToHaveTextAsync("Unblock");
        await b.ReloadAsync();
        await Expect(b.GetByTestId("block-channel")).ToHaveTextAsync("Unblock");
        await b.GotoAsync($"/{streamer}");
        await Expect(b.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(b.GetByTestId("chat-line").Filter(new() { HasText = "still here" })).ToHaveCountAsync(0);
    }
}
