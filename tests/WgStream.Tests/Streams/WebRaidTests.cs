using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

using WgStream.Tests.Channels;

namespace WgStream.Tests.Streams;

/// <summary>A raid in Chromium: the broadcaster raids from the dashboard, a viewer is taken to the raided channel and greeted, whose chat announces it.</summary>
[Collection(WebDiscoverCollection.Name)]
[Trait(TestKind.Name, TestKind.Browser)]
public sealed partial class WebRaidTests(WebDiscoverFixture fixture)
{
    [Fact]
    public async Task A_raid_from_the_dashboard_moves_the_viewer_to_the_target_whose_chat_announces_it()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var raider = await fixture.StreamerAsync($"rdr{suffix}", null, "Raid practice");
        var target = await fixture.StreamerAsync($"tgt{suffix}", null, "Target practice");
        await fixture.GoLiveAsync(raider);
        await fixture.GoLiveAsync(target);
        try
        {
            await using var viewerContext = await fixture.NewContextAsync();
            await using var targetViewerContext = await fixture.NewContextAsync();
            await using var broadcasterContext = await fixture.NewContextAsync();
            var viewer = await viewerContext.NewPageAsync();
            await viewer.GotoAsync($"/{raider.Account.Username}");
            await Expect(viewer.GetByTestId("channel")).ToHaveAttributeAsync("data-subscribed", "true");
            var targetViewer = await targetViewerContext.NewPageAsync();
            await targetViewer.GotoAsync($"/{target.Account.Username}");
            await Expect(targetViewer.GetByTestId("chat")).ToHaveAttributeAsync("data-connected", "true");

            var studio = await WebSettingsTests.LogInAsync(broadcasterContext, raider.Account.Username);
            await studio.GotoAsync("/dashboard");
            var panel = studio.GetByTestId("raid-panel");
            await Expect(panel.GetByTestId("raid-target")).ToBeEnabledAsync();
            await panel.GetByTestId("raid-target").FillAsync(target.Account.Username);
            await panel.GetByTestId("raid-go").ClickAsync();
            await Expect(studio.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Raiding {target.Account.Username}" })).ToBeVisibleAsync();

            await Expect(viewer).ToHaveURLAsync(TargetUrl(target.Account.Username));
            await Expect(viewer.GetByTestId("raid-notice")).ToContainTextAsync("raid");
            await Expect(viewer.GetByTestId("channel-name")).ToContainTextAsync(target.Account.Username);
            await Expect(targetViewer.GetByTestId("chat-raid")).ToContainTextAsync("is raiding with");

            // A second raid right away is refused with the reason.
            await panel.GetByTestId("raid-target").FillAsync(target.Account.Username);
            await panel.GetByTestId("raid-go").ClickAsync();
            await Expect(studio.GetByRole(AriaRole.Alert).Filter(new() { HasText = "raided a moment ago" })).ToBeVisibleAsync();
        }
        finally
        {
            await fixture.GoOfflineAsync(raider);
            await fixture.GoOfflineAsync(target);
        }
    }

    private static Regex TargetUrl(string username) => new($"/{Regex.Escape(username)}\\?raid=");
}
