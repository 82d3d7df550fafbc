using Microsoft.Playwright;
using WgStream.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace WgStream.Tests.Chat;

/// <summary>
/// The web chat after being cut off (what the server does to a client that falls behind, and what
/// a network drop does): it reconnects, and fills in what it missed, even more than one join's
/// 100 messages, with nothing skipped and nothing twice.
/// </summary>
[Collection(WebCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed class WebChatResumeTests(WebFixture fixture)
{
    private const string Send = "mutation($c: ID!, $t: String!) { sendChatMessage(channelId: $c, text: $t) { id } }";

    [Fact]
    public async Task Chat_reconnects_after_a_cut_and_shows_every_message_it_missed()
    {
        var owner = fixture.CreateClient();
        var channel = await owner.RegisterAsync();
        await owner.DataAsync(Send, new { c = channel.Id, t = "before the cut" });

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var cut = false;
        IWebSocketRoute? current = null;
        await page.RouteWebSocketAsync("**/hubs/chat**", async ws =>
        {
            if (Volatile.Read(ref cut))
            {
                // The "network" is down: refuse the reconnect attempt.
                await ws.CloseAsync(new() { Code = 1011, Reason = "down" });
                return;
            }

            ws.ConnectToServer();
            current = ws;
        });

        await page.GotoAsync($"/{channel.Username}");
        var chat = page.GetByTestId("chat");
        var lines = page.GetByTestId("chat-line");
        await Expect(chat).ToHaveAttributeAsync("data-connected", "true");
        await Expect(lines.Filter(new() { HasText = "before the cut" })).ToHaveCountAsync(1);

        Volatile.Write(ref cut, true);
        await current!.CloseAsync(new() { Code = 1011, Reason = "cut off" });
        await Expect(chat).ToHaveAttributeAsync("data-connected", "false");

        // More than the 100 messages a join brings back; two senders, since the broadcaster may send
        // 100 per rate window and a viewer 20.
        const int missed = 110;
        var viewer = fixture.CreateClient();
        await viewer.RegisterAsync();
        for (var i = 0; i < missed; i++)
        {
            await (i < 95 ? owner : viewer).DataAsync(Send, new { c = channel.Id, t = $"while away {i:D3}" });
        }

        Volatile.Write(ref cut, false);
        await Expect(chat).ToHaveAttributeAsync("data-connected", "true", new() { Timeout = 60_000 });
        await Expect(lines.Filter(new() { HasText = "while away 109" })).ToHaveCountAsync(1);
        await Expect(lines.Filter(new() { HasText = "while away" })).ToHaveCountAsync(missed);
        await Expect(lines.Filter(new() { HasText = "before the cut" })).ToHaveCountAsync(1);

        // In room order, no gaps: the texts are exactly what was sent.
        var texts = await lines.Locator(".text").AllInnerTextsAsync();
        Assert.Equal(["before the cut", .. Enumerable.Range(0, missed).Select(i => $"while away {i:D3}")], texts);
    }
}
