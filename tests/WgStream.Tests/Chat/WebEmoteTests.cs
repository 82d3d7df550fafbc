using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WgStream.Tests.Media;
using static Microsoft.Playwright.Assertions;

using WgStream.Tests.Channels;

namespace WgStream.Tests.Chat;

/// <summary>Channel emotes in Chromium: the broadcaster sets a prefix and uploads an emote in the dashboard, a viewer picks it in chat and the other side sees the image.</summary>
[Collection(WebDiscoverCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebEmoteTests(WebDiscoverFixture fixture)
{
    [Fact]
    public async Task An_emote_uploaded_in_the_dashboard_is_picked_by_a_viewer_and_seen_as_an_image_by_the_broadcaster()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var owner = await fixture.StreamerAsync($"emo{suffix}", null, "Emote test");
        var prefix = $"e{suffix}";
        await using var studioContext = await fixture.NewContextAsync();
        await using var viewerContext = await fixture.NewContextAsync();

        var studio = await WebSettingsTests.LogInAsync(studioContext, owner.Username);
        await studio.GotoAsync("/dashboard/emotes");
        await Expect(studio.GetByTestId("emote-prefix-current")).ToContainTextAsync("first upload");

        // A bad prefix is refused with the server's reason beside the field; a good one is saved.
        await studio.GetByTestId("emote-prefix-input").FillAsync("wgx");
        await studio.GetByTestId("emote-prefix-save").ClickAsync();
        await Expect(studio.GetByTestId("emote-error-prefix")).ToContainTextAsync("wg");
        await studio.GetByTestId("emote-prefix-input").FillAsync(prefix);
        await studio.GetByTestId("emote-prefix-save").ClickAsync();
        await Expect(studio.GetByTestId("emote-prefix-current")).ToContainTextAsync($":{prefix}Name:");

        // A name that breaks the rules comes back with its field; then the upload goes through.
        await studio.GetByTestId("emote-file").SetInputFilesAsync(new FilePayload { Name = "hype.png", MimeType = "image/png", Buffer = TestImages.Png(64, 64, TestImages.Red) });
        await studio.GetByTestId("emote-name").FillAsync("hype");
        await studio.GetByTestId("emote-upload-submit").ClickAsync();
        await Expect(studio.GetByTestId("emote-error-name")).ToContainTextAsync("capital letter");
        await studio.GetByTestId("emote-name").FillAsync("Hype");
        await studio.GetByTestId("emote-upload-submit").ClickAsync();
        var row = studio.Locator($"[data-testid=emote-row][data-code=':{prefix}Hype:']");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("img")).ToHaveAttributeAsync("src", new Regex("/28\\.webp$"));
        await Expect(studio.GetByTestId("emote-limits")).ToContainTextAsync("1 of 50 emotes");

        // A second one for sponsors only.
        await studio.GetByTestId("emote-file").SetInputFilesAsync(new FilePayload { Name = "gold.png", MimeType = "image/png", Buffer = TestImages.Png(64, 64, TestImages.Yellow) });
        await studio.GetByTestId("emote-name").FillAsync("Gold");
        await studio.GetByTestId("emote-sponsor-only").CheckAsync();
        await studio.GetByTestId("emote-upload-submit").ClickAsync();
        await Expect(studio.Locator($"[data-testid=emote-row][data-code=':{prefix}Gold:']")).ToContainTextAsync("sponsors only");

        // The viewer picks it from the channel's group of the picker and sends it.
        var viewer = await WebClientTests.SignUpAsync(viewerContext, $"vwr{suffix}");
        await viewer.GotoAsync($"/{owner.Username}");
        await studio.GotoAsync($"/{owner.Username}");
        await Expect(viewer.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await Expect(studio.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");
        await viewer.GetByTestId("emote-toggle").ClickAsync();
        var option = viewer.GetByTestId("emote-group-channel").Locator($"[data-testid=emote-option][data-code=':{prefix}Hype:']");
        await Expect(option).ToHaveAttributeAsync("data-usable", "true");
        // The sponsor-only one is there, locked, and says why instead of going in.
        var locked = viewer.GetByTestId("emote-group-channel").Locator($"[data-testid=emote-option][data-code=':{prefix}Gold:']");
        await Expect(locked).ToHaveAttributeAsync("data-usable", "false");
        await Expect(locked).ToHaveAttributeAsync("title", new Regex("sponsor it to use"));
        await locked.ClickAsync(new() { Force = true }); // aria-disabled: Playwright would wait for it to be enabled
        await Expect(viewer.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Sponsors of this channel only" })).ToBeVisibleAsync();
        await Expect(viewer.GetByTestId("chat-input")).ToHaveValueAsync(string.Empty);
        await option.ClickAsync();
        var input = viewer.GetByTestId("chat-input");
        await Expect(input).ToHaveValueAsync($":{prefix}Hype: ");
        await input.PressSequentiallyAsync("custom");
        await viewer.GetByTestId("chat-send").ClickAsync();

        // The broadcaster's chat draws it as an image in three sizes.
        var line = studio.GetByTestId("chat-line").Filter(new() { HasText = "custom" });
        await Expect(line).ToHaveCountAsync(1);
        var image = line.GetByTestId("channel-emote");
        await Expect(image).ToHaveAttributeAsync("alt", $":{prefix}Hype:");
        await Expect(image).ToHaveAttributeAsync("src", new Regex("/28\\.webp$"));
        await Expect(image).ToHaveAttributeAsync("srcset", new Regex("56\\.webp 2x, .*112\\.webp 4x"));
        Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the emote image did not load");
        await WebClientTests.ScreenshotAsync(studio, "chat-emotes.png");
    }
}
